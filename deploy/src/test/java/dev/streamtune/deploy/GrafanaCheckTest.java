package dev.streamtune.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class GrafanaCheckTest {

    private static final List<GrafanaCheck.Datasource> PROVISIONED =
            List.of(new GrafanaCheck.Datasource("Prometheus", "prometheus", "prometheus"));

    private static Problems dashboard(String json) throws Exception {
        return GrafanaCheck.checkDashboard(new ObjectMapper().readTree(json), "test-dashboard.json", PROVISIONED);
    }

    @Test
    void provisioningPointsAtTheDashboardAndItsDatasource() {
        Problems problems = GrafanaCheck.check(RepositoryFiles.compose(), "grafana", RepositoryFiles.REPOSITORY.root());
        assertTrue(problems.isEmpty(), problems::toString);
    }

    @Test
    void datasourcesThatAreNotProvisionedAreReported() throws Exception {
        Problems literal = dashboard("""
                {"panels": [{"datasource": {"type": "prometheus", "uid": "prom-main"}}]}""");
        assertTrue(literal.mention("test-dashboard.json: panels[0].datasource.uid", "prom-main"), literal::toString);
        Problems input = dashboard("""
                {"panels": [{"datasource": {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}}]}""");
        assertTrue(input.mention("panels[0].datasource.uid", "${DS_PROMETHEUS}", "__inputs"), input::toString);
        Problems variable = dashboard("""
                {"templating": {"list": [{"name": "logs", "type": "datasource", "query": "loki"}]},
                 "panels": [{"datasource": "${logs}"}]}""");
        assertTrue(variable.mention("templating.logs", "loki"), variable::toString);
        Problems byName = dashboard("""
                {"panels": [{"datasource": "Prometheus"}]}""");
        assertTrue(byName.isEmpty(), byName::toString);
    }

    @Test
    void aProviderFolderWithoutMountedDashboardsIsReported() {
        ComposeFile compose = RepositoryFiles.compose("""
                services:
                  grafana:
                    image: grafana/grafana:12.1.1
                    volumes:
                      - ./deploy/grafana/provisioning:/etc/grafana/provisioning:ro
                      - ./deploy/grafana/streamtune-serving.json:/var/lib/grafana/dashboards/streamtune-serving.json
                  prometheus:
                    image: prom/prometheus:v3.5.0
                """);
        Problems problems = GrafanaCheck.check(compose, "grafana", RepositoryFiles.REPOSITORY.root());
        assertTrue(problems.mention("providers.streamtune.options.path", "/etc/grafana/dashboards",
                "holds no dashboard JSON"), problems::toString);
        ComposeFile unprovisioned = RepositoryFiles.compose("""
                services:
                  grafana:
                    image: grafana/grafana:12.1.1
                """);
        Problems missing = GrafanaCheck.check(unprovisioned, "grafana", RepositoryFiles.REPOSITORY.root());
        assertTrue(missing.mention("services.grafana.volumes", "no provisioning folder"), missing::toString);
    }

    @Test
    void anAdminPasswordThatIsWrittenDownDefaultedOrMissingIsReported() {
        for (String password : List.of("admin", "${GRAFANA_ADMIN_PASSWORD:-admin}", "${GRAFANA_ADMIN_PASSWORD}")) {
            Problems problems = new Problems();
            GrafanaCheck.checkAdminPassword(Map.of("GF_SECURITY_ADMIN_PASSWORD", password), "grafana", problems);
            assertTrue(problems.mention("GF_SECURITY_ADMIN_PASSWORD", "is " + password), problems::toString);
        }
        Problems missing = new Problems();
        GrafanaCheck.checkAdminPassword(Map.of(), "grafana", missing);
        assertTrue(missing.mention("no GF_SECURITY_ADMIN_PASSWORD"), missing::toString);
        Problems required = new Problems();
        GrafanaCheck.checkAdminPassword(Map.of("GF_SECURITY_ADMIN_PASSWORD", "${GRAFANA_ADMIN_PASSWORD:?set it}"),
                "grafana", required);
        assertTrue(required.isEmpty(), required::toString);
    }
}
