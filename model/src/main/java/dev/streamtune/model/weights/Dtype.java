package dev.streamtune.model.weights;

import java.nio.ByteBuffer;

/** Floating-point element types of safetensors files, with their conversions to and from fp32. */
public enum Dtype {
    F32(4),
    F16(2),
    BF16(2),
    F64(8);

    private final int bytes;

    Dtype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Reads {@code out.length} elements from {@code in} (little-endian) widened to fp32. */
    void decode(ByteBuffer in, float[] out) {
        switch (this) {
            case F32 -> {
                in.asFloatBuffer().get(out);
                in.position(in.position() + out.length * Float.BYTES);
            }
            case F64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) in.getDouble();
                }
            }
            // BF16 is the top half of an fp32: widening is a shift. (DJL's own BF16 decoding crashes the JVM.)
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((in.getShort() & 0xffff) << 16);
                }
            }
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(in.getShort());
                }
            }
        }
    }

    /** Writes {@code values} to {@code out} (little-endian), rounding to nearest even where narrowing. */
    void encode(float[] values, ByteBuffer out) {
        switch (this) {
            case F32 -> {
                out.asFloatBuffer().put(values);
                out.position(out.position() + values.length * Float.BYTES);
            }
            case F64 -> {
                for (float v : values) {
                    out.putDouble(v);
                }
            }
            case BF16 -> {
                for (float v : values) {
                    out.putShort(floatToBf16(v));
                }
            }
            case F16 -> {
                for (float v : values) {
                    out.putShort(floatToHalf(v));
                }
            }
        }
    }

    /** The fp32 value this type stores for {@code v}: what a write followed by a read gives back. */
    public float round(float v) {
        return switch (this) {
            case F32, F64 -> v;
            case BF16 -> Float.intBitsToFloat((floatToBf16(v) & 0xffff) << 16);
            case F16 -> halfToFloat(floatToHalf(v));
        };
    }

    static short floatToBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // Subnormal half: value = mant * 2^-24.
            float f = mant * 0x1p-24f;
            return sign == 0 ? f : -f;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    static short floatToHalf(float v) {
        int bits = Float.floatToRawIntBits(v);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) {
            return (short) (sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0));
        }
        if (abs >= 0x477ff000) {
            return (short) (sign | 0x7c00); // rounds to a value beyond the largest half: infinity
        }
        if (abs < 0x38800000) {
            // Subnormal or zero in half precision: round v / 2^-24 to nearest even.
            float scaled = Float.intBitsToFloat(abs) * 0x1p24f;
            int m = (int) Math.rint(scaled);
            return (short) (sign | m);
        }
        int exp = (abs >>> 23) - 112;
        int mant = abs & 0x7fffff;
        int half = (exp << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }
}
