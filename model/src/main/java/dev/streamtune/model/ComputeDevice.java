package dev.streamtune.model;

import java.util.Locale;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one device every model array of this process lives on, chosen by the environment variable
 * {@code STREAMTUNE_DEVICE}: {@code cpu} (the default), {@code gpu} (the first CUDA device; fails when PyTorch sees
 * none), or {@code auto} (a GPU when there is one). A GPU needs the CUDA build of libtorch: the trainer-gpu image
 * points DJL at it with {@code PYTORCH_LIBRARY_PATH} and {@code PYTORCH_FLAVOR=cu128}.
 */
public final class ComputeDevice {

    private static final Logger LOG = LoggerFactory.getLogger(ComputeDevice.class);
    public static final String VARIABLE = "STREAMTUNE_DEVICE";

    private static volatile Device current;

    private ComputeDevice() {
    }

    /** The process's device, resolved once from the environment and the GPUs PyTorch can see. */
    public static Device current() {
        Device device = current;
        if (device == null) {
            synchronized (ComputeDevice.class) {
                if (current == null) {
                    String setting = System.getenv().getOrDefault(VARIABLE, "cpu");
                    int gpus = Engine.getEngine("PyTorch").getGpuCount();
                    current = resolve(setting, gpus);
                    LOG.info("Model arrays on {} ({}={}, {} GPU(s) visible to PyTorch)", current, VARIABLE, setting,
                            gpus);
                }
                device = current;
            }
        }
        return device;
    }

    static Device resolve(String setting, int gpuCount) {
        switch (setting.strip().toLowerCase(Locale.ROOT)) {
            case "", "cpu":
                return Device.cpu();
            case "auto":
                return gpuCount > 0 ? Device.gpu() : Device.cpu();
            case "gpu":
                if (gpuCount == 0) {
                    throw new IllegalStateException(VARIABLE + "=gpu, but PyTorch sees no GPU: is the CUDA libtorch "
                            + "installed (PYTORCH_LIBRARY_PATH, PYTORCH_FLAVOR=cu128) and a GPU given to the process?");
                }
                return Device.gpu();
            default:
                throw new IllegalArgumentException(VARIABLE + " must be cpu, gpu or auto, not '" + setting + "'");
        }
    }
}
