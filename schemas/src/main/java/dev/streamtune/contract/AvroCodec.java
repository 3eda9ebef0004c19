package dev.streamtune.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Encodes and decodes one record type with Avro single-object encoding: a 2-byte marker, the writer schema's
 * 8-byte fingerprint, then the binary body. The decoder knows every schema version this type ever had (current
 * plus {@code avro-history/}), so records written by older producers stay readable without a registry server.
 *
 * <p>Decoding never trusts the payload: every string, bytes or collection length is checked against the bytes the
 * payload still holds before anything is allocated ({@link PayloadDecoder}), strings must be well-formed UTF-8,
 * bytes left over after the record are refused, and whatever goes wrong is a {@link RecordDecodingException} with a
 * reason (never an {@code OutOfMemoryError} or a raw Avro exception), so one bad record can be skipped or
 * dead-lettered by the consumer without stopping it.
 *
 * <p>Instances are thread-safe and cached per type: use {@link #of(Class)}.
 */
public final class AvroCodec<T extends SpecificRecord> {

    /** Where earlier versions of each schema live, named {@code <RecordName>-v<N>.avsc}. */
    static final String HISTORY_INDEX = "avro-history/index.txt";

    /** C3 01 and the writer schema's 8-byte fingerprint, little-endian. */
    private static final int HEADER_LENGTH = 10;
    private static final String GENERATED_PACKAGE = "dev.streamtune.schema.";
    private static final Map<Class<?>, AvroCodec<?>> CODECS = new ConcurrentHashMap<>();

    static {
        // Avro 1.12 refuses to instantiate classes outside an allow-list. Builders filling in defaults check it too,
        // so our JVMs also start with -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.streamtune.schema; this covers
        // decoding in a JVM started without it.
        ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                type -> type.getName().startsWith(GENERATED_PACKAGE)));
    }

    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    /** A reader per writer schema this type ever had, by the writer's 64-bit parsing fingerprint. */
    private final Map<Long, SpecificDatumReader<T>> readers;
    private final DecodeLimits limits;

    private AvroCodec(Class<T> type, DecodeLimits limits) {
        this.type = type;
        this.schema = SpecificData.get().getSchema(type);
        this.limits = limits;
        SpecificData model = new SpecificData(type.getClassLoader());
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        Map<Long, SpecificDatumReader<T>> byFingerprint = new HashMap<>();
        List<Schema> writers = new ArrayList<>(olderVersionsOf(schema));
        writers.add(schema);
        for (Schema writer : writers) {
            EncodedSize.requireItemsOfAtLeastOneByte(writer);
            byFingerprint.put(SchemaNormalization.parsingFingerprint64(writer),
                    new SpecificDatumReader<>(writer, schema, model));
        }
        this.readers = Map.copyOf(byFingerprint);
    }

    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return (AvroCodec<T>) CODECS.computeIfAbsent(type,
                t -> new AvroCodec<>((Class<T>) t, DecodeLimits.fromSystemProperties()));
    }

    /** A codec with its own caps, beyond the payload bound that always applies (tests, special consumers). */
    public static <T extends SpecificRecord> AvroCodec<T> withLimits(Class<T> type, DecodeLimits limits) {
        return new AvroCodec<>(type, limits);
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        return schema;
    }

    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | AvroRuntimeException | NullPointerException | ClassCastException e) {
            throw new RecordEncodingException("Cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * @throws RecordDecodingException with a reason a person can act on, for any payload that is not exactly one
     *     record of this type: never an Avro exception, an {@code OutOfMemoryError} or another runtime exception
     */
    public T decode(byte[] bytes) {
        String name = type.getSimpleName();
        if (bytes == null || bytes.length == 0) {
            throw new RecordDecodingException("Empty payload where a " + name + " was expected");
        }
        if (!isSingleObjectEncoded(bytes)) {
            throw new RecordDecodingException("Not Avro single-object encoded (missing C3 01 marker)");
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        SpecificDatumReader<T> reader = readers.get(fingerprint);
        if (reader == null) {
            throw new RecordDecodingException("Unknown writer schema for " + name + " (fingerprint "
                    + String.format("%016x", fingerprint) + " not among known versions)");
        }
        PayloadDecoder in = new PayloadDecoder(bytes, HEADER_LENGTH, limits);
        T record;
        try {
            record = reader.read(null, in);
        } catch (RecordDecodingException e) {
            throw new RecordDecodingException("Corrupt " + name + " payload: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // Avro's own checks behind the decoder: a union branch or enum symbol out of range, a bad default...
            throw new RecordDecodingException("Corrupt " + name + " payload: " + e, e);
        }
        if (in.remaining() > 0) {
            throw new RecordDecodingException("Corrupt " + name + " payload: " + in.remaining()
                    + " trailing bytes after the record (at byte " + in.position() + " of " + bytes.length + ")");
        }
        return record;
    }

    /** True when the bytes start with the single-object marker; cheap enough to sniff the format per record. */
    public static boolean isSingleObjectEncoded(byte[] bytes) {
        return bytes != null && bytes.length >= HEADER_LENGTH && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01;
    }

    static List<Schema> olderVersionsOf(Schema current) {
        ClassLoader loader = AvroCodec.class.getClassLoader();
        try (InputStream index = loader.getResourceAsStream(HISTORY_INDEX)) {
            if (index == null) {
                return List.of();
            }
            String prefix = current.getName() + "-v";
            return new String(index.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(name -> name.startsWith(prefix))
                    .map(name -> parseResource(loader, "avro-history/" + name))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema parseResource(ClassLoader loader, String path) {
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Schema history lists " + path + " but it is not on the classpath");
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
