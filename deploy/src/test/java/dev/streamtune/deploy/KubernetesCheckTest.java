package dev.streamtune.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class KubernetesCheckTest {

    private static final Repository REPO = RepositoryFiles.REPOSITORY;
    private static final Path K8S = REPO.kubernetes();

    private static Problems check(List<KubernetesResource> resources) {
        return KubernetesCheck.check(resources, RepositoryFiles.configs(), RepositoryFiles.entrypoint());
    }

    private static KubernetesResource find(List<KubernetesResource> resources, String kind, String name) {
        return resources.stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in deploy/k8s/base"));
    }

    /** The live (mutable) first container of a Deployment. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(List<KubernetesResource> resources, String deployment) {
        return (Map<String, Object>) YamlNodes.list(find(resources, "Deployment", deployment)
                .at("spec.template.spec.containers")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapAt(Object node, String path) {
        return (Map<String, Object>) YamlNodes.at(node, path);
    }

    /** The image compose builds from the CUDA stage: the GPU overlay must use the same repository. */
    private static String cudaImageRepository() {
        ComposeFile compose = RepositoryFiles.compose();
        return compose.services().keySet().stream()
                .filter(s -> compose.isBuilt(s) && "trainer-gpu".equals(compose.build(s).get("target")))
                .map(s -> ImageRef.parse(compose.image(s).orElseThrow()).repository())
                .findFirst().orElseThrow(() -> new AssertionError("docker-compose.yml builds no trainer-gpu image"));
    }

    @Test
    void theBaseManifestsAreConsistent() {
        Problems problems = check(RepositoryFiles.kubernetesBase());
        assertTrue(problems.isEmpty(), problems::toString);
    }

    @Test
    void kustomizationsNameEveryManifestAndNothingMissing() {
        Problems problems = new Problems();
        for (String directory : List.of("", "base", "gpu", "kafka")) {
            problems.addAll(KubernetesCheck.checkKustomization(K8S.resolve(directory),
                    ("deploy/k8s/" + directory).replaceAll("/$", "")));
        }
        assertTrue(problems.isEmpty(), problems::toString);
        assertEquals(List.of("base"), YamlNodes.words(YamlNodes.document(K8S.resolve("kustomization.yaml"))
                .get("resources")), "deploy/k8s/kustomization.yaml applies the base as it is");
    }

    @Test
    void theGpuOverlayGivesTheTrainersAGpuAndTheCudaImage() {
        List<KubernetesResource> patches = KubernetesResource.load(K8S.resolve("gpu/trainer-gpu.yaml"),
                "deploy/k8s/gpu/trainer-gpu.yaml");
        assertEquals(1, patches.size());
        Problems problems = KubernetesCheck.checkGpuPatch(patches.get(0), RepositoryFiles.kubernetesBase(),
                cudaImageRepository());
        assertTrue(problems.isEmpty(), problems::toString);
    }

    @Test
    void theTrialKafkaIsWhatTheConfigMapNames() {
        List<KubernetesResource> kafka = KubernetesResource.load(K8S.resolve("kafka/kafka.yaml"),
                "deploy/k8s/kafka/kafka.yaml");
        Problems problems = KubernetesCheck.checkTrialKafka(kafka, RepositoryFiles.kubernetesBase());
        assertTrue(problems.isEmpty(), problems::toString);
    }

    @Test
    void replicaRulesAreEnforced() {
        List<KubernetesResource> resources = RepositoryFiles.kubernetesBase();
        mapAt(find(resources, "Deployment", "evaluator").document(), "spec").put("replicas", 2);
        mapAt(find(resources, "Deployment", "evaluator").document(), "spec").remove("strategy");
        mapAt(find(resources, "Deployment", "serving").document(), "spec").put("replicas", 1);
        mapAt(find(resources, "Deployment", "trainer").document(), "spec").remove("replicas");
        Problems problems = check(resources);
        assertTrue(problems.mention("Deployment/evaluator spec.replicas", "2"), problems::toString);
        assertTrue(problems.mention("Deployment/evaluator spec.strategy.type", "Recreate"), problems::toString);
        assertTrue(problems.mention("Deployment/serving spec.replicas", "1"), problems::toString);
        assertTrue(problems.mention("Deployment/trainer spec.replicas", "1"), problems::toString);
    }

    @Test
    void probesAndPortsMustBeTheServicePort() {
        List<KubernetesResource> resources = RepositoryFiles.kubernetesBase();
        container(resources, "serving").remove("readinessProbe");
        mapAt(container(resources, "ingest"), "livenessProbe.httpGet").put("port", 9999);
        mapAt(find(resources, "Deployment", "evaluator").document(), "spec.template.metadata.annotations")
                .put("prometheus.io/port", "8080");
        Problems problems = check(resources);
        assertTrue(problems.mention("Deployment/serving container serving readinessProbe", "missing"),
                problems::toString);
        assertTrue(problems.mention("Deployment/ingest container ingest livenessProbe", "9999", "8081"),
                problems::toString);
        assertTrue(problems.mention("Deployment/evaluator", "prometheus.io/port is 8080, not 8083"),
                problems::toString);
    }

    @Test
    void memoryMustLeaveRoomBesideTheHeap() {
        List<KubernetesResource> resources = RepositoryFiles.kubernetesBase();
        mapAt(container(resources, "trainer"), "resources.limits").put("memory", "3Gi");
        mapAt(container(resources, "serving"), "resources.requests").put("memory", "1Gi");
        Problems problems = check(resources);
        assertTrue(problems.mention("Deployment/trainer container trainer resources.limits.memory", "3Gi"),
                problems::toString);
        assertTrue(problems.mention("Deployment/serving container serving resources.requests.memory", "1Gi",
                "1536m"), problems::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void environmentMustMeanSomethingToTheService() {
        List<KubernetesResource> resources = RepositoryFiles.kubernetesBase();
        List<Object> env = (List<Object>) container(resources, "serving").get("env");
        env.add(new java.util.LinkedHashMap<>(Map.of("name", "SERVING_BATCH_SIZE", "value", "8")));
        List<Object> trainerEnv = new ArrayList<>((List<Object>) container(resources, "trainer").get("env"));
        trainerEnv.removeIf(item -> "TRAINER_GROUP_ID".equals(YamlNodes.map(item).get("name")));
        container(resources, "trainer").put("env", trainerEnv);
        mapAt(find(resources, "Secret", "streamtune-admin-tokens").document(), "stringData")
                .put("serving-admin-token", "s3cr3t");
        Problems problems = check(resources);
        assertTrue(problems.mention("Deployment/serving container serving env SERVING_BATCH_SIZE"),
                problems::toString);
        assertTrue(problems.mention("Deployment/trainer container trainer env", "TRAINER_GROUP_ID"),
                problems::toString);
        assertTrue(problems.mention("Secret/streamtune-admin-tokens serving-admin-token", "CHANGE-ME"),
                problems::toString);
    }

    @Test
    void theSharedHomeMustBeOneReadWriteManyClaimAtOnePath() {
        List<KubernetesResource> resources = RepositoryFiles.kubernetesBase();
        mapAt(find(resources, "PersistentVolumeClaim", "streamtune-home").document(), "spec")
                .put("accessModes", List.of("ReadWriteOnce"));
        ((Map<String, Object>) YamlNodes.list(container(resources, "serving").get("volumeMounts")).get(0))
                .put("mountPath", "/data");
        Problems problems = check(resources);
        assertTrue(problems.mention("PersistentVolumeClaim/streamtune-home", "ReadWriteMany"), problems::toString);
        assertTrue(problems.mention("mounted at different paths"), problems::toString);
    }

    @Test
    void aGpuPatchForAnotherContainerOrWithoutGpuIsReported() {
        List<KubernetesResource> patch = KubernetesResource.parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: trainer}
                spec:
                  template:
                    spec:
                      containers:
                        - name: trainer-gpu
                          image: streamtune-trainer-gpu:latest
                """, "bad-patch.yaml");
        Problems problems = KubernetesCheck.checkGpuPatch(patch.get(0), RepositoryFiles.kubernetesBase(),
                cudaImageRepository());
        assertTrue(problems.mention("bad-patch.yaml", "container trainer-gpu is not in the base"), problems::toString);
        assertTrue(problems.mention("bad-patch.yaml", "nvidia.com/gpu"), problems::toString);
        assertTrue(problems.mention("bad-patch.yaml", "streamtune-trainer-gpu:latest is not a pinned"),
                problems::toString);
    }
}
