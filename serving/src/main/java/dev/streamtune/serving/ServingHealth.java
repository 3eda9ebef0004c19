package dev.streamtune.serving;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.streamtune.kafka.BrokerProbe;
import dev.streamtune.kafka.LoopHealth;
import dev.streamtune.kafka.TaskCatalogueFollower;
import dev.streamtune.kafka.TopicFollower;
import dev.streamtune.service.KafkaConfig;
import dev.streamtune.serving.adapter.AdapterRegistry;
import dev.streamtune.serving.adapter.ServedAdapter;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Readiness (and part of /health): DOWN until the deployments present at start-up have been read and their
 * adapters loaded or rejected, and whenever the deployments follower stopped or the broker does not answer (serving
 * would miss swaps). Details name each task's adapter and its last rejected deployment.
 */
@Singleton
final class ServingHealth extends AbstractHealthIndicator<Map<String, Object>> {

    private final DeploymentFollower deployments;
    private final DashboardFeed dashboard;
    private final AdapterRegistry registry;
    private final BrokerProbe broker;
    private final TaskCatalogueFollower catalogue;

    ServingHealth(DeploymentFollower deployments, DashboardFeed dashboard, AdapterRegistry registry,
                  KafkaConfig kafka, TaskCatalogueFollower catalogue) {
        this.catalogue = catalogue;
        this.deployments = deployments;
        this.dashboard = dashboard;
        this.registry = registry;
        this.broker = new BrokerProbe(kafka.connection());
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        BrokerProbe.Reachability reachability = broker.check();
        // Before the catalogue is read every task would be unknown (404): not ready until it is.
        boolean ready = deployments.ready() && catalogue.caughtUp()
                && LoopHealth.up(deployments.follower().loop(), reachability)
                && LoopHealth.up(catalogue.loop(), reachability);
        healthStatus = ready ? HealthStatus.UP : HealthStatus.DOWN;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deployments", follower(deployments.follower(), deployments.replayed()));
        details.put("taskCatalogue", Map.of("state", catalogue.caughtUp() ? "following" : "replaying",
                "loop", LoopHealth.state(catalogue.loop()), "tasks", catalogue.current().all().size()));
        details.put("dashboardFeed", follower(dashboard.follower(), dashboard.caughtUp()));
        details.put("broker", reachability.reachable() ? "reachable" : reachability.detail());
        details.put("restarts", LoopHealth.restarts());
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

    /** "replaying"/"following"/"recovering"/"stopped", with faults survived and records skipped. */
    private static Map<String, Object> follower(TopicFollower follower, boolean caughtUp) {
        Map<String, Object> details = new LinkedHashMap<>();
        String state = LoopHealth.state(follower.loop());
        details.put("state", state.equals("running") ? (caughtUp ? "following" : "replaying") : state);
        details.put("faultsSurvived", follower.loop().faults());
        if (follower.loop().ongoingFault() != null) {
            details.put("fault", follower.loop().ongoingFault());
        }
        if (follower.loop().fatalFault() != null) {
            details.put("stoppedBecause", follower.loop().fatalFault());
        }
        details.put("skippedRecords", follower.skippedRecords());
        return details;
    }

    @Override
    protected String getName() {
        return "serving";
    }

    @PreDestroy
    void close() {
        broker.close();
    }
}
