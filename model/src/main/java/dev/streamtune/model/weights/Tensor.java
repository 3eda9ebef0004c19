package dev.streamtune.model.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named fp32 tensor held on the Java heap, in row-major order. Every reader widens to fp32, so the rest of
 * the module deals with one element type.
 *
 * @param name the tensor's name in the checkpoint (HuggingFace naming once normalised)
 * @param shape the dimensions, outermost first
 * @param data the values, row-major; its length is the product of {@code shape}
 */
public record Tensor(String name, long[] shape, float[] data) {

    public Tensor {
        Objects.requireNonNull(name, "name");
        shape = shape.clone();
        if (elementCount(shape) != data.length) {
            throw new IllegalArgumentException(
                    "tensor " + name + ": shape " + Arrays.toString(shape) + " needs " + elementCount(shape)
                            + " values, got " + data.length);
        }
    }

    /** Number of elements a tensor of this shape holds. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Same values under another name. */
    public Tensor renamed(String newName) {
        return new Tensor(newName, shape, data);
    }

    /** The transpose of a 2-D tensor (ONNX stores linear weights as [in, out], PyTorch as [out, in]). */
    public Tensor transposed2d() {
        if (shape.length != 2) {
            throw new IllegalStateException("tensor " + name + " is not 2-D: " + Arrays.toString(shape));
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        float[] out = new float[data.length];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = data[base + c];
            }
        }
        return new Tensor(name, new long[] {cols, rows}, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t
                && name.equals(t.name)
                && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
