package dev.streamtune.serving;

import java.util.Map;

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

    ServingLiveness(DeploymentFollower deployments, DashboardFeed dashboard) {
        this.deployments = deployments;
        this.dashboard = dashboard;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        boolean alive = deployments.alive() && dashboard.alive();
        healthStatus = alive ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("deploymentFollower", deployments.alive(), "dashboardFeed", dashboard.alive());
    }

    @Override
    protected String getName() {
        return "serving-threads";
    }
}
