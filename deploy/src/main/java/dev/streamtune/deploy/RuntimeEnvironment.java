package dev.streamtune.deploy;

import java.util.Set;

/**
 * Environment variables a deployment may set that no application.yml reads: the ones the entrypoint, the JVM or
 * DJL/PyTorch read. Anything else set on a service must mean something to that service's configuration.
 */
public final class RuntimeEnvironment {

    /** Read by deploy/docker/streamtune-service (EntrypointScriptTest checks that it still does). */
    public static final Set<String> ENTRYPOINT = Set.of("STREAMTUNE_HEAP", "JAVA_OPTS");

    /** Read by DJL and its PyTorch engine, and by the model module's ComputeDevice. */
    public static final Set<String> DJL = Set.of("OPT_OUT_TRACKING", "DJL_OFFLINE", "DJL_CACHE_DIR",
            "PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR", "PYTORCH_VERSION", "STREAMTUNE_DEVICE");

    private RuntimeEnvironment() {
    }

    public static boolean allows(String name) {
        return ENTRYPOINT.contains(name) || DJL.contains(name);
    }

    /** Whether the service makes use of this variable, through its configuration or the runtime. */
    public static boolean meaningful(String name, ServiceConfig config) {
        return allows(name) || config.reads(name);
    }
}
