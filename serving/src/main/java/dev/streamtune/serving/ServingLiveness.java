package dev.streamtune.serving;

import java.util.Map;

import dev.streamtune.kafka.TaskCatalogueFollower;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;

/** Liveness: DOWN only when a Kafka follower thread died for good (a restart is then the fix). */
@Singleton
@Liveness
final class ServingLiveness extends AbstractHealthIndicator<Map<String, Object>> {

    private final DeploymentFollower deployments;
    private final DashboardFeed dashboard;
    private final TaskCatalogueFollower catalogue;

    ServingLiveness(DeploymentFollower deployments, DashboardFeed dashboard, TaskCatalogueFollower catalogue) {
        this.deployments = deployments;
        this.dashboard = dashboard;
        this.catalogue = catalogue;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        boolean alive = deployments.alive() && dashboard.alive() && catalogue.loop().alive();
        healthStatus = alive ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("deploymentFollower", deployments.alive(), "dashboardFeed", dashboard.alive(),
                "taskCatalogueFollower", catalogue.loop().alive());
    }

    @Override
    protected String getName() {
        return "serving-threads";
    }
}
