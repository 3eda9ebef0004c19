package dev.streamtune.deploy;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** deploy/prometheus/prometheus.yml scrapes /prometheus of every Streamtune service at its compose host and port. */
public final class PrometheusCheck {

    private PrometheusCheck() {
    }

    public static Problems check(Map<String, Object> prometheus, String file, ComposeFile compose,
                                 Map<String, ServiceConfig> configs) {
        Problems problems = new Problems();
        Map<String, String> hosts = compose.hostnames();
        Set<String> scraped = new LinkedHashSet<>();
        int index = 0;
        for (Object job : YamlNodes.list(prometheus.get("scrape_configs"))) {
            Map<String, Object> scrape = YamlNodes.map(job);
            String where = file + ": scrape_configs[" + index++ + "] (" + scrape.get("job_name") + ")";
            String path = String.valueOf(scrape.getOrDefault("metrics_path", "/metrics"));
            for (Object staticConfig : YamlNodes.list(scrape.get("static_configs"))) {
                for (String target : YamlNodes.words(YamlNodes.map(staticConfig).get("targets"))) {
                    String[] hostPort = target.split(":");
                    String service = hosts.get(hostPort[0]);
                    if (service == null) {
                        problems.add(where, "target " + target + ": " + hostPort[0]
                                + " is not a service or alias in " + compose.source());
                        continue;
                    }
                    Optional<String> kind = compose.commandWord(service);
                    if (!compose.isBuilt(service) || kind.isEmpty() || !configs.containsKey(kind.get())) {
                        continue; // not a Streamtune service
                    }
                    ServiceConfig config = configs.get(kind.get());
                    scraped.add(kind.get());
                    if (hostPort.length < 2 || Integer.parseInt(hostPort[1]) != config.port()) {
                        problems.add(where, "target " + target + " but " + config.source() + " serves on "
                                + config.port());
                    }
                    if (!path.equals("/prometheus")) {
                        problems.add(where, "metrics_path " + path + ": Streamtune services serve /prometheus");
                    }
                }
            }
        }
        for (String service : configs.keySet()) {
            if (!scraped.contains(service)) {
                problems.add(file, "no scrape job for " + service);
            }
        }
        return problems;
    }
}
