package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Structure;
import dev.streamtune.model.weights.Dtype;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 predictions leave no NDArray behind and do not grow the native heap. Runs on a small random BERT (same
 * code path as MiniLM, a fraction of the time per call); TextClassifierTest checks MiniLM's counts per call.
 */
class NativeMemoryTest {

    @TempDir
    Path dir;

    @Test
    void tenThousandPredictionsDoNotGrowNativeMemory() throws Exception {
        HuggingFaceCheckpointTest.writeCheckpoint(dir, HuggingFaceCheckpointTest.TINY, Dtype.F32, 3, false);
        try (BaseModel base = BaseModel.fromHuggingFaceDirectory(dir, "tiny-bert");
                TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(List.of("no", "yes")).withMaxSequenceLength(32))) {
            List<List<String>> requests = List.of(List.of("short"), List.of("a somewhat longer request text", "two"),
                    List.of("three texts", "in one", "call with padding to do"));
            for (int i = 0; i < 500; i++) {
                classifier.predict(requests.get(i % requests.size()));
            }
            int arrays = base.liveArrayCount();
            int own = classifier.liveArrayCount();
            long heap = nativeHeapInUse();
            for (int i = 0; i < 10_000; i++) {
                classifier.predict(requests.get(i % requests.size()));
            }
            assertEquals(own, classifier.liveArrayCount(), "NDArrays under the classifier");
            assertEquals(arrays, base.liveArrayCount(), "NDArrays under the base model (weights + classifier)");
            if (heap >= 0) {
                long grownMb = (nativeHeapInUse() - heap) >> 20;
                assertTrue(grownMb < 32, "native heap in use grew by " + grownMb + " MiB over 10k calls");
            }
        }
    }

    /**
     * Bytes glibc's malloc has handed out and not had back (all arenas, mmap'd chunks included), which is where
     * libtorch tensors live; -1 where mallinfo2 is not available. Direct buffers freed by the GC are collected first.
     */
    static long nativeHeapInUse() throws InterruptedException {
        Function mallinfo2;
        try {
            mallinfo2 = NativeLibrary.getProcess().getFunction("mallinfo2");
        } catch (UnsatisfiedLinkError notGlibc) {
            return -1;
        }
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(100);
        }
        MallInfo2 info = (MallInfo2) mallinfo2.invoke(MallInfo2.class, new Object[0]);
        return info.uordblks + info.hblkhd;
    }

    /** glibc's {@code struct mallinfo2}: ten size_t fields. */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost"})
    public static class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;
    }
}
