package dev.streamtune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PyTorch-specific thread state the module sets around every forward/backward pass, in one place.
 *
 * <ul>
 *   <li>Grad mode: autograd's switch is per thread in libtorch and on by default in every thread except the one
 *       that started the engine. Inference turns it off (no graph is recorded); training turns it on.
 *   <li>Flush-to-zero: subnormal floats (attention probabilities near 0, tiny gradients) make x86 arithmetic
 *       10-100x slower; measured on MiniLM, FTZ/DAZ cut the softmax and GELU backward kernels by 4-7x. The
 *       MXCSR register is per thread and PyTorch's OpenMP workers copy it from the thread that creates them, so
 *       it is set before any kernel runs and restored afterwards, leaving Java code on the thread unaffected.
 *       Only on x86-64 Linux (glibc's {@code fenv_t}); elsewhere a no-op.
 * </ul>
 */
final class Torch {

    private static final Logger LOG = LoggerFactory.getLogger(Torch.class);
    private static final int MXCSR_OFFSET = 28; // glibc x86-64 fenv_t: x87 environment, then the 32-bit MXCSR
    private static final int FTZ_DAZ = 0x8040;   // MXCSR bit 15 flush-to-zero, bit 6 denormals-are-zero
    private static final Function FEGETENV;
    private static final Function FESETENV;

    static {
        Function get = null;
        Function set = null;
        if ("amd64".equals(System.getProperty("os.arch")) && System.getProperty("os.name", "").startsWith("Linux")) {
            try {
                NativeLibrary process = NativeLibrary.getProcess();
                get = process.getFunction("fegetenv");
                set = process.getFunction("fesetenv");
            } catch (RuntimeException | LinkageError e) {
                LOG.info("Flush-to-zero unavailable ({}); subnormal floats may slow PyTorch kernels", e.toString());
            }
        }
        FEGETENV = get;
        FESETENV = set;
    }

    private Torch() {}

    /**
     * Enters a region of PyTorch work on the calling thread: sets grad mode and flush-to-zero until the returned
     * handle is closed, which restores both.
     */
    static Scope enter(boolean grad) {
        boolean previousGrad = JniUtils.isGradMode();
        JniUtils.setGradMode(grad);
        Memory previousEnv = null;
        if (FEGETENV != null) {
            previousEnv = new Memory(32);
            if (FEGETENV.invokeInt(new Object[] {previousEnv}) == 0) {
                Memory env = new Memory(32);
                env.write(0, previousEnv.getByteArray(0, 32), 0, 32);
                env.setInt(MXCSR_OFFSET, env.getInt(MXCSR_OFFSET) | FTZ_DAZ);
                FESETENV.invokeInt(new Object[] {env});
            } else {
                previousEnv = null;
            }
        }
        return new Scope(previousGrad, previousEnv);
    }

    /** Drops the accumulated gradient of a parameter. */
    static void zeroGrad(NDArray parameter) {
        JniUtils.zeroGrad((PtNDArray) parameter);
    }

    /** Restores the thread's previous grad mode and floating-point environment on close. */
    static final class Scope implements AutoCloseable {
        private final boolean previousGrad;
        private final Memory previousEnv;

        private Scope(boolean previousGrad, Memory previousEnv) {
            this.previousGrad = previousGrad;
            this.previousEnv = previousEnv;
        }

        @Override
        public void close() {
            JniUtils.setGradMode(previousGrad);
            if (previousEnv != null) {
                FESETENV.invokeInt(new Object[] {previousEnv});
            }
        }
    }
}
