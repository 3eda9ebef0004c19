package dev.streamtune.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrometheusCheckTest {

    @Test
    void everyServiceIsScrapedAtItsPort() {
        Problems problems = PrometheusCheck.check(YamlNodes.document(RepositoryFiles.REPOSITORY.prometheus()),
                "deploy/prometheus/prometheus.yml", RepositoryFiles.compose(), RepositoryFiles.configs());
        assertTrue(problems.isEmpty(), problems::toString);
    }

    @Test
    void aWrongPortPathHostOrMissingServiceIsReported() {
        var prometheus = YamlNodes.document("""
                scrape_configs:
                  - job_name: serving
                    metrics_path: /prometheus
                    static_configs: [{targets: ["serving:9999"]}]
                  - job_name: ingest
                    static_configs: [{targets: ["ingest:8081", "ingester:8081"]}]
                """, "bad-prometheus.yml");
        Problems problems = PrometheusCheck.check(prometheus, "bad-prometheus.yml", RepositoryFiles.compose(),
                RepositoryFiles.configs());
        assertTrue(problems.mention("bad-prometheus.yml", "(serving)", "serving:9999", "8080"), problems::toString);
        assertTrue(problems.mention("(ingest)", "metrics_path /metrics"), problems::toString);
        assertTrue(problems.mention("ingester is not a service or alias"), problems::toString);
        assertTrue(problems.mention("no scrape job for trainer"), problems::toString);
        assertTrue(problems.mention("no scrape job for evaluator"), problems::toString);
    }
}
