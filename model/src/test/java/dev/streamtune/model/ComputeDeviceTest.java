package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class ComputeDeviceTest {

    @Test
    void cpuUnlessAGpuIsAskedForOrAutoFindsOne() {
        assertEquals(Device.cpu(), ComputeDevice.resolve("cpu", 1));
        assertEquals(Device.cpu(), ComputeDevice.resolve("", 1));
        assertEquals(Device.cpu(), ComputeDevice.resolve("auto", 0));
        assertEquals(Device.gpu(), ComputeDevice.resolve("auto", 2));
        assertEquals(Device.gpu(), ComputeDevice.resolve(" GPU ", 1));
    }

    @Test
    void askingForAMissingGpuOrAnUnknownDeviceIsAClearError() {
        var missing = assertThrows(IllegalStateException.class, () -> ComputeDevice.resolve("gpu", 0));
        assertTrue(missing.getMessage().contains("PyTorch sees no GPU"), missing.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> ComputeDevice.resolve("tpu", 0));
        assertTrue(unknown.getMessage().contains("'tpu'"), unknown.getMessage());
    }

    @Test
    void thisMachineRunsOnTheCpuByDefault() {
        if (System.getenv(ComputeDevice.VARIABLE) == null) {
            assertEquals(Device.cpu(), ComputeDevice.current());
        }
    }
}
