package dev.streamtune.serving;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.streamtune.serving.adapter.AdapterRegistry;
import dev.streamtune.serving.adapter.ServedAdapter;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

/**
 * Readiness (and part of /health): DOWN until the deployments present at start-up have been read and their
 * adapters loaded or rejected. Details name each task's adapter and its last rejected deployment.
 */
@Singleton
final class ServingHealth extends AbstractHealthIndicator<Map<String, Object>> {

    private final DeploymentFollower deployments;
    private final DashboardFeed dashboard;
    private final AdapterRegistry registry;

    ServingHealth(DeploymentFollower deployments, DashboardFeed dashboard, AdapterRegistry registry) {
        this.deployments = deployments;
        this.dashboard = dashboard;
        this.registry = registry;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        boolean ready = deployments.ready() && deployments.alive();
        healthStatus = ready ? HealthStatus.UP : HealthStatus.DOWN;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deployments", !deployments.alive() ? "stopped" : deployments.replayed() ? "following" : "replaying");
        details.put("dashboardFeed", !dashboard.alive() ? "stopped" : dashboard.caughtUp() ? "following" : "replaying");
        details.put("pendingLoads", registry.pendingLoads());
        Map<String, Object> tasks = new LinkedHashMap<>();
        for (String task : registry.tasks()) {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("adapter", registry.current(task).map(ServedAdapter::adapterId).orElse("none"));
            registry.pending(task).ifPresent(d -> state.put("loading", d.getAdapterId()));
            registry.lastFailure(task).ifPresent(f -> state.put("lastSwapError",
                    f.adapterId() + " " + f.kind() + ": " + f.message()));
            tasks.put(task, state);
        }
        details.put("tasks", tasks);
        return details;
    }

    @Override
    protected String getName() {
        return "serving";
    }
}
