package dev.streamtune.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Dockerfile: pinned base images, the stages the compose and Kubernetes files build, non-root service
 * stages started by the entrypoint, and a CUDA libtorch that matches the PyTorch version the build uses.
 */
public final class DockerfileCheck {

    /** The stages other files name: compose build targets, the README's docker build commands. */
    public static final List<String> REQUIRED_STAGES = List.of("build", "runtime", "trainer-gpu");

    private DockerfileCheck() {
    }

    /**
     * @param where               the Dockerfile's name in messages
     * @param context             the build context (the repository root), for COPY sources
     * @param pytorchNativeVersion the root pom's djl.pytorch.native.version
     */
    public static Problems check(Dockerfile dockerfile, String where, Path context, String pytorchNativeVersion) {
        Problems problems = new Problems();
        for (Dockerfile.Stage stage : dockerfile.stages()) {
            if (!dockerfile.isStage(stage.from()) && !ImageRef.parse(stage.from()).isPinned()) {
                problems.add(where + ":" + stage.line(), "FROM " + stage.from()
                        + " is not pinned (give a tag other than latest, or a digest)");
            }
        }
        for (Dockerfile.CopyFrom copy : dockerfile.copiesFrom()) {
            if (!dockerfile.isStage(copy.from()) && !ImageRef.parse(copy.from()).isPinned()) {
                problems.add(where + ":" + copy.line(), "COPY --from=" + copy.from() + " is not pinned");
            }
        }
        for (String required : REQUIRED_STAGES) {
            if (dockerfile.stage(required).isEmpty()) {
                problems.add(where, "no stage named " + required);
            }
        }
        for (String source : dockerfile.contextSources()) {
            if (!source.equals(".") && !Files.exists(context.resolve(source))) {
                problems.add(where, "COPY source " + source + " does not exist in the build context");
            }
        }
        dockerfile.stage("build").ifPresent(build -> checkBuild(build, where, problems));
        for (String serviceStage : List.of("runtime", "trainer-gpu")) {
            dockerfile.stage(serviceStage).ifPresent(stage -> checkServiceStage(stage, where, problems));
        }
        dockerfile.stage("trainer-gpu").ifPresent(gpu -> checkCuda(dockerfile, gpu, where, pytorchNativeVersion,
                problems));
        Optional<Dockerfile.Stage> runtime = dockerfile.stage("runtime");
        Optional<Dockerfile.Stage> gpu = dockerfile.stage("trainer-gpu");
        if (runtime.isPresent() && gpu.isPresent()) {
            String runtimeHome = runtime.get().env().get("STREAMTUNE_HOME");
            String gpuHome = gpu.get().env().get("STREAMTUNE_HOME");
            if (runtimeHome == null || !runtimeHome.equals(gpuHome)) {
                problems.add(where, "ENV STREAMTUNE_HOME differs between runtime (" + runtimeHome
                        + ") and trainer-gpu (" + gpuHome + "): the shared volume has one mount path");
            }
            boolean sameJre = dockerfile.copiesFrom().stream()
                    .anyMatch(copy -> "trainer-gpu".equals(copy.stage()) && copy.from().equals(runtime.get().from()));
            if (!sameJre) {
                problems.add(where, "trainer-gpu does not COPY --from the runtime stage's JRE image "
                        + runtime.get().from() + ": the two images would run different Java builds");
            }
        }
        return problems;
    }

    private static void checkBuild(Dockerfile.Stage build, String where, Problems problems) {
        String runs = String.join("\n", build.all("RUN").stream().map(Dockerfile.Instruction::arguments).toList());
        if (!runs.contains("mvn ") || !runs.contains("package")) {
            problems.add(where + " stage build", "does not run mvn ... package");
        }
        for (String service : Repository.SERVICES) {
            if (!runs.matches("(?s).*-pl\\s+\\S*\\b" + service + "\\b.*")) {
                problems.add(where + " stage build", "mvn -pl does not build " + service);
            }
        }
        if (!runs.contains("deploy/docker/layout.sh")) {
            problems.add(where + " stage build", "does not lay the services out with deploy/docker/layout.sh");
        }
    }

    private static void checkServiceStage(Dockerfile.Stage stage, String where, Problems problems) {
        String label = where + " stage " + stage.name();
        List<Dockerfile.Instruction> entrypoints = stage.all("ENTRYPOINT");
        if (entrypoints.isEmpty()
                || !entrypoints.get(entrypoints.size() - 1).arguments().contains("streamtune-service")) {
            problems.add(label, "ENTRYPOINT is not streamtune-service");
        }
        Optional<String> user = stage.user();
        if (user.isEmpty() || user.get().equals("root") || user.get().equals("0") || user.get().startsWith("0:")
                || user.get().startsWith("root:")) {
            problems.add(label, "runs as root (USER " + user.orElse("not set") + ")");
        }
        if (stage.env().get("STREAMTUNE_HOME") == null) {
            problems.add(label, "no ENV STREAMTUNE_HOME");
        }
        String bindHost = stage.env().get(ServiceConfig.BIND_HOST_VARIABLE);
        if (!"0.0.0.0".equals(bindHost)) {
            problems.add(label, "ENV " + ServiceConfig.BIND_HOST_VARIABLE + " is " + bindHost + ", not 0.0.0.0: the "
                    + "services listen on loopback by default, which nothing outside the container can reach");
        }
    }

    private static void checkCuda(Dockerfile dockerfile, Dockerfile.Stage gpu, String where, String pytorchVersion,
                                  Problems problems) {
        String label = where + " stage trainer-gpu";
        Map<String, String> env = gpu.env();
        String libraryPath = env.get("PYTORCH_LIBRARY_PATH");
        String flavor = env.get("PYTORCH_FLAVOR");
        String version = env.get("PYTORCH_VERSION");
        if (libraryPath == null) {
            problems.add(label, "no ENV PYTORCH_LIBRARY_PATH: DJL would load the CPU libtorch from the jars");
        } else {
            boolean copied = gpu.all("COPY").stream().anyMatch(copy -> {
                String[] words = copy.arguments().trim().split("\\s+");
                String destination = words[words.length - 1];
                return libraryPath.startsWith(destination);
            });
            if (!copied) {
                problems.add(label, "PYTORCH_LIBRARY_PATH " + libraryPath + " is not under any COPY destination");
            }
        }
        if (!"gpu".equals(env.get("STREAMTUNE_DEVICE"))) {
            problems.add(label, "STREAMTUNE_DEVICE is " + env.get("STREAMTUNE_DEVICE")
                    + ", not gpu: the model would stay on the CPU");
        }
        if (flavor == null || !flavor.startsWith("cu")) {
            problems.add(label, "PYTORCH_FLAVOR is " + flavor + ", not a CUDA flavor (cuNNN)");
        }
        if (version == null || !version.equals(pytorchVersion)) {
            problems.add(label, "PYTORCH_VERSION is " + version + " but the build uses PyTorch " + pytorchVersion
                    + " (djl.pytorch.native.version in pom.xml)");
        }
        String url = dockerfile.stages().stream().flatMap(stage -> stage.args().values().stream())
                .filter(value -> value != null && value.contains("download.pytorch.org/libtorch"))
                .findFirst().orElse(null);
        if (url == null) {
            problems.add(where, "no ARG with the libtorch download URL (download.pytorch.org/libtorch/...)");
        } else if (flavor != null && version != null
                && !(url.contains("/" + flavor + "/") && url.contains("-" + version + "%2B" + flavor + ".zip"))) {
            problems.add(where, "libtorch URL " + url + " is not version " + version + " flavor " + flavor);
        }
    }
}
