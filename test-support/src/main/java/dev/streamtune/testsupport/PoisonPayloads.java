package dev.streamtune.testsupport;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Record values that a consumer must skip rather than die on, as an outside producer could write them to any topic.
 */
public final class PoisonPayloads {

    /** Single-object encoding's marker (C3 01) and 8-byte schema fingerprint. */
    private static final int HEADER = 10;

    private PoisonPayloads() {
    }

    /**
     * A payload with a valid header (the same schema as {@code validEncoding}) whose first field declares a string of
     * about 2 GB: a decoder that trusts the length tries to allocate it.
     */
    public static byte[] hugeDeclaredLength(byte[] validEncoding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Arrays.copyOf(validEncoding, HEADER));
        long zigzag = 2L * 2_000_000_000L; // Avro's zig-zag varint of a positive length
        while ((zigzag & ~0x7FL) != 0) {
            out.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
        out.writeBytes(new byte[16]);
        return out.toByteArray();
    }

    /** Not Avro at all. */
    public static byte[] garbage() {
        return "{not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
