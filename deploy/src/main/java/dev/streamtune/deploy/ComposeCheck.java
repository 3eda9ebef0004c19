package dev.streamtune.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker-compose.yml against the Dockerfile and the services' configuration: builds name existing stages,
 * external images are pinned, each service's ports, healthcheck and environment fit its application.yml, all
 * Streamtune services share one STREAMTUNE_HOME volume at one path, and a GPU trainer never blocks a plain
 * machine.
 */
public final class ComposeCheck {

    private static final Pattern URL = Pattern.compile("^https?://([^:/]+):(\\d+)");

    private ComposeCheck() {
    }

    /**
     * @param context the directory build contexts and bind mounts are relative to (the repository root)
     */
    public static Problems check(ComposeFile compose, Dockerfile dockerfile, Path dockerfilePath,
                                 Map<String, ServiceConfig> configs, Path context) {
        Problems problems = new Problems();
        String file = compose.source();
        Set<String> kindsPresent = new LinkedHashSet<>();
        Set<String> sharedMounts = new LinkedHashSet<>();
        boolean cpuTrainer = false;
        Map<String, String> hosts = compose.hostnames();

        for (String name : compose.services().keySet()) {
            String where = file + ": services." + name;
            checkDependencies(compose, name, where, problems);
            checkBindMounts(compose, name, where, context, problems);
            if (!compose.isBuilt(name)) {
                Optional<String> image = compose.image(name);
                if (image.isEmpty()) {
                    problems.add(where, "has neither build nor image");
                } else if (!ImageRef.parse(image.get()).isPinned()) {
                    problems.add(where + ".image", image.get() + " is not pinned (tag other than latest, or digest)");
                }
                continue;
            }

            Optional<Dockerfile.Stage> stage = checkBuild(compose, name, where, dockerfile, dockerfilePath, context,
                    problems);
            Optional<String> kind = compose.commandWord(name);
            if (kind.isEmpty() || !configs.containsKey(kind.get())) {
                problems.add(where + ".command", "does not name a service the entrypoint runs " + configs.keySet()
                        + " but " + kind.orElse("nothing"));
                continue;
            }
            ServiceConfig config = configs.get(kind.get());
            kindsPresent.add(kind.get());
            int port = config.port();
            Map<String, String> environment = compose.environment(name);

            for (String variable : environment.keySet()) {
                if (!RuntimeEnvironment.meaningful(variable, config)) {
                    problems.add(where + ".environment." + variable, "is neither read by " + config.source()
                            + " (placeholder or Micronaut key) nor a runtime variable");
                }
            }
            checkKafkaLogin(environment, kind.get(), where, problems);
            for (Map.Entry<String, String> variable : environment.entrySet()) {
                checkUrl(variable, hosts, compose, configs, where, problems);
                if (variable.getKey().equals("KAFKA_BOOTSTRAP_SERVERS") && variable.getValue() != null) {
                    checkBootstrap(variable.getValue(), hosts, compose, where, problems);
                }
            }

            List<String> healthcheck = compose.healthcheck(name);
            int probe = healthcheck.indexOf("streamtune-healthcheck");
            if (probe < 0 || probe + 1 >= healthcheck.size()) {
                problems.add(where + ".healthcheck", "does not run streamtune-healthcheck <port>");
            } else if (!healthcheck.get(probe + 1).equals(String.valueOf(port))) {
                problems.add(where + ".healthcheck", "probes port " + healthcheck.get(probe + 1) + " but "
                        + config.source() + " serves on " + port);
            }
            for (int published : compose.containerPorts(name)) {
                if (published != port) {
                    problems.add(where + ".ports", "publishes container port " + published + " but "
                            + config.source() + " serves on " + port);
                }
            }

            List<ComposeFile.Mount> volumes = compose.mounts(name).stream().filter(m -> !m.bind() && m.source() != null)
                    .toList();
            if (volumes.isEmpty()) {
                problems.add(where + ".volumes", "does not mount the shared STREAMTUNE_HOME volume");
            }
            for (ComposeFile.Mount volume : volumes) {
                sharedMounts.add(volume.source() + ":" + volume.target());
                if (!compose.namedVolumes().containsKey(volume.source())) {
                    problems.add(where + ".volumes", "volume " + volume.source() + " is not declared under volumes:");
                }
            }
            if (config.placeholders().contains("STREAMTUNE_HOME")) {
                String home = environment.getOrDefault("STREAMTUNE_HOME",
                        stage.map(s -> s.env().get("STREAMTUNE_HOME")).orElse(null));
                if (volumes.stream().noneMatch(v -> v.target().equals(home))) {
                    problems.add(where, "STREAMTUNE_HOME " + home + " is not where the shared volume is mounted");
                }
            }

            if (kind.get().equals("trainer")) {
                String group = environment.get("TRAINER_GROUP_ID");
                if (group == null || group.isBlank()) {
                    problems.add(where + ".environment", "no TRAINER_GROUP_ID: workers must share one consumer group");
                }
            }
            boolean cuda = stage.map(s -> String.valueOf(s.env().get("PYTORCH_FLAVOR")).startsWith("cu"))
                    .orElse(false);
            if (compose.reservesGpu(name)) {
                if (compose.profiles(name).isEmpty()) {
                    problems.add(where, "reserves a GPU but has no profile: `docker compose up` would fail on a"
                            + " machine without one");
                }
                if (!"nvidia".equals(compose.gpuDriver(name))) {
                    problems.add(where + ".deploy", "GPU reservation driver is " + compose.gpuDriver(name)
                            + ", not nvidia");
                }
                if (!cuda) {
                    problems.add(where + ".build.target", "reserves a GPU but builds a stage without CUDA libtorch");
                }
            } else {
                if (cuda) {
                    problems.add(where, "builds the CUDA stage but reserves no GPU");
                }
                if (kind.get().equals("trainer")) {
                    cpuTrainer = true;
                }
            }
        }

        for (String service : configs.keySet()) {
            if (!kindsPresent.contains(service)) {
                problems.add(file, "no service runs " + service);
            }
        }
        if (kindsPresent.contains("trainer") && !cpuTrainer) {
            problems.add(file, "every trainer reserves a GPU: a machine without one cannot train");
        }
        if (sharedMounts.size() > 1) {
            problems.add(file, "Streamtune services mount different STREAMTUNE_HOME volumes or paths " + sharedMounts
                    + ": adapter file URIs only resolve if all use the same");
        }
        return problems;
    }

    private static Optional<Dockerfile.Stage> checkBuild(ComposeFile compose, String name, String where,
                                                         Dockerfile dockerfile, Path dockerfilePath, Path context,
                                                         Problems problems) {
        Map<String, Object> build = compose.build(name);
        Path buildContext = context.resolve(String.valueOf(build.getOrDefault("context", ".")));
        Path file = buildContext.resolve(String.valueOf(build.getOrDefault("dockerfile", "Dockerfile")));
        if (!Files.isRegularFile(file)) {
            problems.add(where + ".build.dockerfile", file + " does not exist");
            return Optional.empty();
        }
        if (!file.normalize().toAbsolutePath().equals(dockerfilePath.normalize().toAbsolutePath())) {
            problems.add(where + ".build.dockerfile", "is " + file + ", not the checked " + dockerfilePath);
            return Optional.empty();
        }
        String target = YamlNodes.text(build.get("target"));
        if (target == null) {
            problems.add(where + ".build.target", "missing: the last stage is not meant to be built alone");
            return Optional.empty();
        }
        Optional<Dockerfile.Stage> stage = dockerfile.stage(target);
        if (stage.isEmpty()) {
            problems.add(where + ".build.target", target + " is not a stage of " + dockerfilePath.getFileName());
        }
        return stage;
    }

    private static void checkDependencies(ComposeFile compose, String name, String where, Problems problems) {
        compose.dependsOn(name).forEach((dependency, condition) -> {
            if (!compose.services().containsKey(dependency)) {
                problems.add(where + ".depends_on", dependency + " is not a service");
            } else if (condition.equals("service_healthy") && !compose.hasHealthcheck(dependency)) {
                problems.add(where + ".depends_on", "waits for " + dependency
                        + " to be healthy, but it has no healthcheck");
            }
        });
    }

    private static void checkBindMounts(ComposeFile compose, String name, String where, Path context,
                                        Problems problems) {
        for (ComposeFile.Mount mount : compose.mounts(name)) {
            if (mount.bind() && mount.source() != null && !mount.source().startsWith("~")
                    && !Files.exists(context.resolve(mount.source()))) {
                problems.add(where + ".volumes", mount.source() + " does not exist");
            }
        }
    }

    private static void checkUrl(Map.Entry<String, String> variable, Map<String, String> hosts, ComposeFile compose,
                                 Map<String, ServiceConfig> configs, String where, Problems problems) {
        if (variable.getValue() == null) {
            return;
        }
        Matcher url = URL.matcher(variable.getValue());
        if (!url.find()) {
            return;
        }
        String service = hosts.get(url.group(1));
        if (service == null) {
            problems.add(where + ".environment." + variable.getKey(), url.group(1) + " is not a compose service");
            return;
        }
        Optional<String> kind = compose.commandWord(service);
        if (compose.isBuilt(service) && kind.isPresent() && configs.containsKey(kind.get())) {
            int port = configs.get(kind.get()).port();
            if (Integer.parseInt(url.group(2)) != port) {
                problems.add(where + ".environment." + variable.getKey(), "port " + url.group(2) + " but "
                        + configs.get(kind.get()).source() + " serves on " + port);
            }
        }
    }

    /**
     * A service that logs in to Kafka does so as its own principal (the ACL table, schemas' AccessControl, names
     * each after its service), with a password: a shared or missing login would let one service write another's
     * topics, or fail at start.
     */
    static void checkKafkaLogin(Map<String, String> environment, String service, String where, Problems problems) {
        String protocol = environment.getOrDefault("KAFKA_SECURITY_PROTOCOL", "");
        if (protocol == null || !protocol.startsWith("SASL_")) {
            return;
        }
        String user = environment.get("KAFKA_SASL_USERNAME");
        if (!service.equals(user)) {
            problems.add(where + ".environment.KAFKA_SASL_USERNAME", "is " + user + ", not the " + service
                    + " principal: each service logs in as itself so the ACLs apply to it");
        }
        String password = environment.get("KAFKA_SASL_PASSWORD");
        if (password == null || password.isBlank()) {
            problems.add(where + ".environment.KAFKA_SASL_PASSWORD", "is not set although " + protocol
                    + " needs a login");
        }
    }

    private static void checkBootstrap(String servers, Map<String, String> hosts, ComposeFile compose, String where,
                                       Problems problems) {
        for (String server : servers.split(",")) {
            String host = server.trim().replaceAll(":\\d+$", "");
            String service = hosts.get(host);
            if (service == null) {
                problems.add(where + ".environment.KAFKA_BOOTSTRAP_SERVERS", host + " is not a compose service");
                continue;
            }
            String advertised = compose.environment(service).get("KAFKA_ADVERTISED_LISTENERS");
            if (advertised != null && !advertised.contains("//" + server.trim())) {
                problems.add(where + ".environment.KAFKA_BOOTSTRAP_SERVERS", server.trim()
                        + " is not among " + service + "'s KAFKA_ADVERTISED_LISTENERS " + advertised);
            }
        }
    }
}
