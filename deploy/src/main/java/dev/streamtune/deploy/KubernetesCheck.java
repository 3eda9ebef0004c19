package dev.streamtune.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Kubernetes manifests against the services: probes, container ports, Services and Prometheus annotations
 * at each service's port; environment that the service reads; heaps that fit the memory requests and limits;
 * one shared ReadWriteMany STREAMTUNE_HOME; and the replica rules (evaluator alone and Recreate, several serving
 * replicas, several trainers in one consumer group).
 */
public final class KubernetesCheck {

    /** What a container needs beyond its heap: metaspace, threads, Netty buffers, libtorch. */
    static final long MIN_NATIVE_HEADROOM = 512L * 1024 * 1024;
    private static final String SECRET_PLACEHOLDER = "CHANGE-ME";

    private KubernetesCheck() {
    }

    /** A Streamtune container and the Deployment it belongs to. */
    private record Workload(KubernetesResource deployment, Map<String, Object> container, String service) {
    }

    public static Problems check(List<KubernetesResource> resources, Map<String, ServiceConfig> configs,
                                 EntrypointScript entrypoint) {
        Problems problems = new Problems();
        List<Workload> workloads = new ArrayList<>();
        for (KubernetesResource resource : resources) {
            if (resource.kind().equals("Deployment") || resource.kind().equals("StatefulSet")) {
                checkPodController(resource, problems);
                for (Object item : YamlNodes.list(resource.at("spec.template.spec.containers"))) {
                    Map<String, Object> container = YamlNodes.map(item);
                    String image = String.valueOf(container.get("image"));
                    if (!ImageRef.parse(image).isPinned()) {
                        problems.add(resource.where(), "image " + image + " is not pinned");
                    }
                    if (!ImageRef.parse(image).repository().startsWith("streamtune")) {
                        continue;
                    }
                    List<String> args = YamlNodes.words(container.getOrDefault("args", container.get("command")));
                    if (args.isEmpty() || !configs.containsKey(args.get(0))) {
                        problems.add(resource.where(), "container " + container.get("name")
                                + " does not name a service the entrypoint runs " + configs.keySet() + " in args");
                        continue;
                    }
                    workloads.add(new Workload(resource, container, args.get(0)));
                }
            } else if (resource.kind().equals("Secret")) {
                checkSecret(resource, problems);
            }
        }

        Set<String> present = new LinkedHashSet<>();
        Set<String> homeMounts = new LinkedHashSet<>();
        for (Workload workload : workloads) {
            present.add(workload.service());
            ServiceConfig config = configs.get(workload.service());
            String where = workload.deployment().where() + " container " + workload.container().get("name");
            checkPorts(workload, config, resources, where, problems);
            Map<String, String> environment = environment(workload, resources, where, problems);
            for (String variable : environment.keySet()) {
                if (!RuntimeEnvironment.meaningful(variable, config)) {
                    problems.add(where + " env " + variable, "is neither read by " + config.source()
                            + " (placeholder or Micronaut key) nor a runtime variable");
                }
            }
            Map<String, String> login = new LinkedHashMap<>(environment);
            for (Object item : YamlNodes.list(workload.container().get("env"))) {
                Map<String, Object> variable = YamlNodes.map(item);
                if (variable.get("valueFrom") != null) {
                    login.put(String.valueOf(variable.get("name")), "(from " + variable.get("valueFrom") + ")");
                }
            }
            ComposeCheck.checkKafkaLogin(login, workload.service(), where, problems);
            checkMemory(workload, environment, entrypoint, where, problems);
            checkVolumes(workload, environment, config, resources, where, homeMounts, problems);
            checkReplicas(workload, environment, where, problems);
        }
        for (String service : configs.keySet()) {
            if (!present.contains(service)) {
                problems.add("deploy/k8s", "no Deployment runs " + service);
            }
        }
        if (homeMounts.size() > 1) {
            problems.add("deploy/k8s", "the STREAMTUNE_HOME claim is mounted at different paths " + homeMounts
                    + ": adapter file URIs only resolve if every pod uses the same");
        }
        return problems;
    }

    private static void checkPodController(KubernetesResource resource, Problems problems) {
        Map<String, Object> selector = YamlNodes.map(resource.at("spec.selector.matchLabels"));
        Map<String, Object> labels = YamlNodes.map(resource.at("spec.template.metadata.labels"));
        selector.forEach((key, value) -> {
            if (!String.valueOf(value).equals(String.valueOf(labels.get(key)))) {
                problems.add(resource.where(), "selector " + key + "=" + value + " does not match the pod labels "
                        + labels);
            }
        });
        if (selector.isEmpty()) {
            problems.add(resource.where(), "no spec.selector.matchLabels");
        }
    }

    private static void checkSecret(KubernetesResource secret, Problems problems) {
        Map<String, Object> values = new LinkedHashMap<>(YamlNodes.map(secret.at("stringData")));
        values.putAll(YamlNodes.map(secret.at("data")));
        values.forEach((key, value) -> {
            if (!String.valueOf(value).contains(SECRET_PLACEHOLDER)) {
                problems.add(secret.where() + " " + key, "is not a " + SECRET_PLACEHOLDER
                        + " placeholder: real tokens do not belong in the repository");
            }
        });
    }

    private static void checkPorts(Workload workload, ServiceConfig config, List<KubernetesResource> resources,
                                   String where, Problems problems) {
        int port = config.port();
        Map<String, Integer> named = new LinkedHashMap<>();
        List<Integer> containerPorts = new ArrayList<>();
        for (Object item : YamlNodes.list(workload.container().get("ports"))) {
            Map<String, Object> containerPort = YamlNodes.map(item);
            int number = Integer.parseInt(String.valueOf(containerPort.get("containerPort")));
            containerPorts.add(number);
            if (containerPort.get("name") != null) {
                named.put(String.valueOf(containerPort.get("name")), number);
            }
        }
        if (!containerPorts.equals(List.of(port))) {
            problems.add(where + " ports", "are " + containerPorts + " but " + config.source() + " serves on " + port);
        }
        Map<String, String> required = Map.of("readinessProbe", "/health/readiness", "livenessProbe",
                "/health/liveness");
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            Object httpGet = YamlNodes.at(workload.container(), probe + ".httpGet");
            if (httpGet == null) {
                if (required.containsKey(probe)) {
                    problems.add(where + " " + probe, "missing (want httpGet " + required.get(probe) + ")");
                }
                continue;
            }
            String path = YamlNodes.text(YamlNodes.map(httpGet).get("path"));
            if (required.containsKey(probe) && !required.get(probe).equals(path)) {
                problems.add(where + " " + probe, "path " + path + ", want " + required.get(probe));
            }
            Integer probed = resolvePort(YamlNodes.map(httpGet).get("port"), named);
            if (probed == null || probed != port) {
                problems.add(where + " " + probe, "port " + YamlNodes.map(httpGet).get("port") + " is not "
                        + config.source() + "'s port " + port);
            }
        }

        Map<String, Object> annotations = YamlNodes.map(workload.deployment().at("spec.template.metadata.annotations"));
        if (!"true".equals(YamlNodes.text(annotations.get("prometheus.io/scrape")))) {
            problems.add(where, "pod template lacks annotation prometheus.io/scrape: \"true\"");
        }
        if (!String.valueOf(port).equals(YamlNodes.text(annotations.get("prometheus.io/port")))) {
            problems.add(where, "annotation prometheus.io/port is " + annotations.get("prometheus.io/port")
                    + ", not " + port);
        }
        if (!"/prometheus".equals(YamlNodes.text(annotations.get("prometheus.io/path")))) {
            problems.add(where, "annotation prometheus.io/path is " + annotations.get("prometheus.io/path")
                    + ", not /prometheus");
        }

        Map<String, Object> podLabels = YamlNodes.map(workload.deployment().at("spec.template.metadata.labels"));
        boolean served = false;
        for (KubernetesResource service : resources) {
            if (!service.kind().equals("Service")) {
                continue;
            }
            Map<String, Object> selector = YamlNodes.map(service.at("spec.selector"));
            boolean selects = !selector.isEmpty() && selector.entrySet().stream()
                    .allMatch(e -> String.valueOf(e.getValue()).equals(String.valueOf(podLabels.get(e.getKey()))));
            if (!selects) {
                continue;
            }
            for (Object item : YamlNodes.list(service.at("spec.ports"))) {
                Map<String, Object> servicePort = YamlNodes.map(item);
                Object target = servicePort.getOrDefault("targetPort", servicePort.get("port"));
                Integer resolved = resolvePort(target, named);
                if (resolved != null && resolved == port) {
                    served = true;
                } else {
                    problems.add(service.where(), "targetPort " + target + " is not " + workload.service()
                            + "'s port " + port);
                }
            }
        }
        if (!served) {
            problems.add(where, "no Service selects these pods on port " + port);
        }
    }

    private static Integer resolvePort(Object port, Map<String, Integer> named) {
        String text = YamlNodes.text(port);
        if (text == null) {
            return null;
        }
        if (text.matches("\\d+")) {
            return Integer.parseInt(text);
        }
        return named.get(text);
    }

    /** env plus envFrom, checking that every referenced ConfigMap, Secret and key exists. */
    private static Map<String, String> environment(Workload workload, List<KubernetesResource> resources,
                                                   String where, Problems problems) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Object item : YamlNodes.list(workload.container().get("envFrom"))) {
            Map<String, Object> from = YamlNodes.map(item);
            for (String kind : List.of("configMapRef", "secretRef")) {
                if (from.containsKey(kind)) {
                    String name = YamlNodes.text(YamlNodes.map(from.get(kind)).get("name"));
                    String resourceKind = kind.equals("configMapRef") ? "ConfigMap" : "Secret";
                    Optional<KubernetesResource> source = find(resources, resourceKind, name);
                    if (source.isEmpty()) {
                        problems.add(where + " envFrom", resourceKind + " " + name + " does not exist");
                        continue;
                    }
                    values(source.get()).forEach(environment::put);
                }
            }
        }
        for (Object item : YamlNodes.list(workload.container().get("env"))) {
            Map<String, Object> variable = YamlNodes.map(item);
            String name = String.valueOf(variable.get("name"));
            environment.put(name, YamlNodes.text(variable.get("value")));
            for (String kind : List.of("secretKeyRef", "configMapKeyRef")) {
                Object ref = YamlNodes.at(variable, "valueFrom." + kind);
                if (ref == null) {
                    continue;
                }
                String resourceKind = kind.equals("secretKeyRef") ? "Secret" : "ConfigMap";
                String sourceName = YamlNodes.text(YamlNodes.map(ref).get("name"));
                String key = YamlNodes.text(YamlNodes.map(ref).get("key"));
                Optional<KubernetesResource> source = find(resources, resourceKind, sourceName);
                if (source.isEmpty() || !values(source.get()).containsKey(key)) {
                    problems.add(where + " env " + name, resourceKind + " " + sourceName + " has no key " + key);
                }
            }
        }
        return environment;
    }

    private static Map<String, String> values(KubernetesResource resource) {
        Map<String, String> values = new LinkedHashMap<>();
        YamlNodes.map(resource.at("data")).forEach((k, v) -> values.put(k, YamlNodes.text(v)));
        YamlNodes.map(resource.at("stringData")).forEach((k, v) -> values.put(k, YamlNodes.text(v)));
        return values;
    }

    private static Optional<KubernetesResource> find(List<KubernetesResource> resources, String kind, String name) {
        return resources.stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)).findFirst();
    }

    private static void checkMemory(Workload workload, Map<String, String> environment, EntrypointScript entrypoint,
                                    String where, Problems problems) {
        String heapText = environment.get("STREAMTUNE_HEAP");
        if (heapText == null) {
            EntrypointScript.Entry entry = entrypoint.entries().get(workload.service());
            heapText = entry == null ? null : entry.heap();
        }
        String request = YamlNodes.text(YamlNodes.at(workload.container(), "resources.requests.memory"));
        String limit = YamlNodes.text(YamlNodes.at(workload.container(), "resources.limits.memory"));
        if (heapText == null || request == null || limit == null) {
            problems.add(where + " resources", "needs a heap (STREAMTUNE_HEAP or the entrypoint's default), "
                    + "requests.memory and limits.memory; has " + heapText + ", " + request + ", " + limit);
            return;
        }
        long heap = MemorySize.jvm(heapText);
        long requested = MemorySize.kubernetes(request);
        long limited = MemorySize.kubernetes(limit);
        if (requested <= heap) {
            problems.add(where + " resources.requests.memory", request + " does not exceed the heap " + heapText);
        }
        if (limited < requested) {
            problems.add(where + " resources.limits.memory", limit + " is below the request " + request);
        }
        if (limited - heap < MIN_NATIVE_HEADROOM) {
            problems.add(where + " resources.limits.memory", limit + " leaves under 512Mi beside the heap "
                    + heapText + " for native memory (libtorch, threads, metaspace)");
        }
    }

    private static void checkVolumes(Workload workload, Map<String, String> environment, ServiceConfig config,
                                     List<KubernetesResource> resources, String where, Set<String> homeMounts,
                                     Problems problems) {
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        for (Object item : YamlNodes.list(workload.deployment().at("spec.template.spec.volumes"))) {
            Map<String, Object> volume = YamlNodes.map(item);
            volumes.put(String.valueOf(volume.get("name")), volume);
        }
        String homeMount = null;
        boolean homeReadOnly = false;
        Set<String> emptyDirMounts = new LinkedHashSet<>();
        for (Object item : YamlNodes.list(workload.container().get("volumeMounts"))) {
            Map<String, Object> mount = YamlNodes.map(item);
            Map<String, Object> volume = volumes.get(String.valueOf(mount.get("name")));
            String path = String.valueOf(mount.get("mountPath"));
            if (volume == null) {
                problems.add(where + " volumeMounts", mount.get("name") + " is not a volume of the pod");
                continue;
            }
            if (volume.containsKey("emptyDir")) {
                emptyDirMounts.add(path);
            }
            String claim = YamlNodes.text(YamlNodes.at(volume, "persistentVolumeClaim.claimName"));
            if (claim != null) {
                Optional<KubernetesResource> pvc = find(resources, "PersistentVolumeClaim", claim);
                if (pvc.isEmpty()) {
                    problems.add(where + " volumes", "PersistentVolumeClaim " + claim + " does not exist");
                } else if (!YamlNodes.words(pvc.get().at("spec.accessModes")).contains("ReadWriteMany")) {
                    problems.add(pvc.get().where(), "is not ReadWriteMany, but every Streamtune pod mounts it");
                }
                homeMount = path;
                homeReadOnly = Boolean.TRUE.equals(mount.get("readOnly"));
                homeMounts.add(claim + ":" + path);
            }
        }
        String home = environment.get("STREAMTUNE_HOME");
        switch (workload.service()) {
            case "trainer" -> {
                if (homeMount == null || homeReadOnly) {
                    problems.add(where, "needs the STREAMTUNE_HOME claim mounted read-write (adapters, checkpoints)");
                }
            }
            case "evaluator", "serving" -> {
                if (homeMount == null) {
                    problems.add(where, "needs the STREAMTUNE_HOME claim: it opens adapters by their file URIs");
                }
            }
            case "ingest" -> {
                String stateDir = environment.get("INGEST_STATE_DIR");
                if (homeMount == null && (stateDir == null
                        || emptyDirMounts.stream().noneMatch(m -> stateDir.startsWith(m + "/")))) {
                    problems.add(where + " env INGEST_STATE_DIR", "is " + stateDir
                            + ": without the shared claim the state must be on a mounted emptyDir");
                }
            }
            default -> {
            }
        }
        if (homeMount != null && config.placeholders().contains("STREAMTUNE_HOME") && !homeMount.equals(home)) {
            problems.add(where + " env STREAMTUNE_HOME", "is " + home + " but the claim is mounted at " + homeMount);
        }
    }

    private static void checkReplicas(Workload workload, Map<String, String> environment, String where,
                                      Problems problems) {
        KubernetesResource deployment = workload.deployment();
        Object declared = deployment.at("spec.replicas");
        int replicas = declared == null ? 1 : Integer.parseInt(String.valueOf(declared)); // Kubernetes' default
        switch (workload.service()) {
            case "evaluator" -> {
                if (replicas != 1) {
                    problems.add(deployment.where() + " spec.replicas", replicas
                            + ": the evaluator is the only transactional writer of deployments, run exactly 1");
                }
                if (!"Recreate".equals(YamlNodes.text(deployment.at("spec.strategy.type")))) {
                    problems.add(deployment.where() + " spec.strategy.type", "must be Recreate: a rolling update"
                            + " would run two evaluators at once");
                }
            }
            case "serving" -> {
                if (replicas < 2) {
                    problems.add(deployment.where() + " spec.replicas", replicas + ": serving should run several");
                }
            }
            case "trainer" -> {
                if (replicas < 2) {
                    problems.add(deployment.where() + " spec.replicas", replicas
                            + ": trainer workers share tasks, run several");
                }
                String group = environment.get("TRAINER_GROUP_ID");
                if (group == null || group.isBlank()) {
                    problems.add(where + " env", "no TRAINER_GROUP_ID: workers must share one consumer group");
                }
            }
            default -> {
            }
        }
    }

    /**
     * A strategic-merge patch of the GPU overlay: it patches an existing Deployment's existing containers (a new
     * name would add a second container), asks for an NVIDIA GPU and uses the CUDA image.
     */
    public static Problems checkGpuPatch(KubernetesResource patch, List<KubernetesResource> base,
                                         String cudaImageRepository) {
        Problems problems = new Problems();
        Optional<KubernetesResource> target = find(base, patch.kind(), patch.name());
        if (target.isEmpty()) {
            problems.add(patch.where(), "patches a " + patch.kind() + " the base does not have");
            return problems;
        }
        Set<String> baseContainers = new LinkedHashSet<>();
        YamlNodes.list(target.get().at("spec.template.spec.containers"))
                .forEach(c -> baseContainers.add(String.valueOf(YamlNodes.map(c).get("name"))));
        boolean gpu = false;
        for (Object item : YamlNodes.list(patch.at("spec.template.spec.containers"))) {
            Map<String, Object> container = YamlNodes.map(item);
            String name = String.valueOf(container.get("name"));
            if (!baseContainers.contains(name)) {
                problems.add(patch.where(), "container " + name + " is not in the base " + baseContainers
                        + ": the patch would add a container instead of changing it");
            }
            Map<String, Object> limits = YamlNodes.map(YamlNodes.at(container, "resources.limits"));
            String gpus = YamlNodes.text(limits.get("nvidia.com/gpu")); // not at(): the key has a dot
            if (gpus != null && Integer.parseInt(gpus) >= 1) {
                gpu = true;
            }
            String image = YamlNodes.text(container.get("image"));
            if (image == null || !ImageRef.parse(image).repository().equals(cudaImageRepository)
                    || !ImageRef.parse(image).isPinned()) {
                problems.add(patch.where(), "container " + name + " image " + image + " is not a pinned "
                        + cudaImageRepository);
            }
        }
        if (!gpu) {
            problems.add(patch.where(), "no container asks for resources.limits nvidia.com/gpu >= 1");
        }
        return problems;
    }

    /** Every resource and patch a kustomization names exists, and every manifest beside it is named. */
    public static Problems checkKustomization(Path directory, String label) {
        Problems problems = new Problems();
        Map<String, Object> kustomization = YamlNodes.document(directory.resolve("kustomization.yaml"));
        Set<String> named = new LinkedHashSet<>();
        for (String resource : YamlNodes.words(kustomization.get("resources"))) {
            Path path = directory.resolve(resource).normalize();
            named.add(path.toString());
            boolean exists = Files.isRegularFile(path) || Files.isRegularFile(path.resolve("kustomization.yaml"));
            if (!exists) {
                problems.add(label + "/kustomization.yaml resources", resource + " does not exist");
            }
        }
        for (Object patch : YamlNodes.list(kustomization.get("patches"))) {
            String path = YamlNodes.text(YamlNodes.map(patch).get("path"));
            if (path != null) {
                named.add(directory.resolve(path).normalize().toString());
                if (!Files.isRegularFile(directory.resolve(path))) {
                    problems.add(label + "/kustomization.yaml patches", path + " does not exist");
                }
            }
        }
        try (var files = Files.list(directory)) {
            files.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals(
                    "kustomization.yaml")).forEach(p -> {
                        if (!named.contains(p.normalize().toString())) {
                            problems.add(label + "/" + p.getFileName(), "is not listed in kustomization.yaml");
                        }
                    });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot list " + directory, e);
        }
        return problems;
    }

    /** The trial broker's Service is what the ConfigMap's KAFKA_BOOTSTRAP_SERVERS names. */
    public static Problems checkTrialKafka(List<KubernetesResource> kafka, List<KubernetesResource> base) {
        Problems problems = new Problems();
        String bootstrap = base.stream().filter(r -> r.kind().equals("ConfigMap"))
                .map(r -> values(r).get("KAFKA_BOOTSTRAP_SERVERS")).filter(v -> v != null).findFirst().orElse(null);
        if (bootstrap == null) {
            problems.add("deploy/k8s/base", "no ConfigMap sets KAFKA_BOOTSTRAP_SERVERS");
            return problems;
        }
        String[] hostPort = bootstrap.split(",")[0].trim().split(":");
        Optional<KubernetesResource> service = find(kafka, "Service", hostPort[0]);
        if (service.isEmpty()) {
            problems.add("deploy/k8s/kafka", "no Service named " + hostPort[0] + " (KAFKA_BOOTSTRAP_SERVERS "
                    + bootstrap + ")");
            return problems;
        }
        boolean port = YamlNodes.list(service.get().at("spec.ports")).stream()
                .anyMatch(p -> String.valueOf(YamlNodes.map(p).get("port")).equals(hostPort[1]));
        if (!port) {
            problems.add(service.get().where(), "has no port " + hostPort[1] + " (KAFKA_BOOTSTRAP_SERVERS "
                    + bootstrap + ")");
        }
        for (KubernetesResource resource : kafka) {
            for (Object item : YamlNodes.list(resource.at("spec.template.spec.containers"))) {
                for (Object env : YamlNodes.list(YamlNodes.map(item).get("env"))) {
                    Map<String, Object> variable = YamlNodes.map(env);
                    if ("KAFKA_ADVERTISED_LISTENERS".equals(variable.get("name"))
                            && !String.valueOf(variable.get("value")).contains("//" + bootstrap.split(",")[0].trim())) {
                        problems.add(resource.where(), "advertises " + variable.get("value") + ", not "
                                + bootstrap + ": clients would be sent elsewhere");
                    }
                }
                String image = YamlNodes.text(YamlNodes.map(item).get("image"));
                if (image == null || !ImageRef.parse(image).isPinned()) {
                    problems.add(resource.where(), "image " + image + " is not pinned");
                }
            }
        }
        return problems;
    }
}
