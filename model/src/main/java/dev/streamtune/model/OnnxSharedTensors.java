package dev.streamtune.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The base model's tensors that every {@link OnnxClassifier} on it can share instead of holding its own copy: the
 * word embedding table (30522 x 384 fp32 = 47 MB for MiniLM, about half of an fp32 session and two thirds of an
 * int8 one). Given to each session by name ({@code addInitializer}); ONNX Runtime reads it in place.
 *
 * <p>The native tensor is freed once this is closed and the last classifier using it is closed, in either order.
 */
public final class OnnxSharedTensors implements AutoCloseable {

    private final BaseModel base;
    private final OnnxTensor wordEmbeddings;
    private int users;
    private boolean closed;
    private boolean freed;

    private OnnxSharedTensors(BaseModel base, OnnxTensor wordEmbeddings) {
        this.base = base;
        this.wordEmbeddings = wordEmbeddings;
    }

    /** Copies the shared tensors of {@code base} into native memory once. */
    public static OnnxSharedTensors of(BaseModel base) {
        float[] words;
        try (Lifecycle.Lease lease = base.acquire()) {
            words = base.weight("embeddings.word_embeddings.weight").toFloatArray();
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(words.length * Float.BYTES).order(ByteOrder.nativeOrder());
        buffer.asFloatBuffer().put(words);
        try {
            return new OnnxSharedTensors(base, OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
                    buffer.asFloatBuffer(), new long[] {base.config().vocabSize(), base.config().hiddenSize()}));
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create the shared word embedding tensor", e);
        }
    }

    BaseModel base() {
        return base;
    }

    /** Takes a reference for a new session and returns the word embedding tensor it is to use. */
    synchronized OnnxTensor acquireWordEmbeddings() {
        if (closed) {
            throw new IllegalStateException("the shared ONNX tensors of " + base.id() + " are closed");
        }
        users++;
        return wordEmbeddings;
    }

    /** Drops a session's reference. */
    synchronized void release() {
        users--;
        freeIfUnused();
    }

    /** Sessions using the shared tensors now. */
    public synchronized int users() {
        return users;
    }

    @Override
    public synchronized void close() {
        closed = true;
        freeIfUnused();
    }

    private void freeIfUnused() {
        if (closed && users == 0 && !freed) {
            freed = true;
            wordEmbeddings.close();
        }
    }
}
