package dev.streamtune.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Encodes and decodes one record type with Avro single-object encoding: a 2-byte marker, the writer schema's
 * 8-byte fingerprint, then the binary body. The decoder knows every schema version this type ever had (current
 * plus {@code avro-history/}), so records written by older producers stay readable without a registry server.
 *
 * <p>Instances are thread-safe and cached per type: use {@link #of(Class)}.
 */
public final class AvroCodec<T extends SpecificRecord> {

    /** Where earlier versions of each schema live, named {@code <RecordName>-v<N>.avsc}. */
    static final String HISTORY_INDEX = "avro-history/index.txt";

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
    private final BinaryMessageDecoder<T> decoder;

    private AvroCodec(Class<T> type) {
        this.type = type;
        this.schema = SpecificData.get().getSchema(type);
        SpecificData model = new SpecificData(type.getClassLoader());
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        SchemaStore.Cache history = new SchemaStore.Cache();
        olderVersionsOf(schema).forEach(history::addSchema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, history);
    }

    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return (AvroCodec<T>) CODECS.computeIfAbsent(type, t -> new AvroCodec<>((Class<T>) t));
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

    /** @throws RecordDecodingException with a reason a person can act on, never a raw Avro exception */
    public T decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new RecordDecodingException("Empty payload where a " + type.getSimpleName() + " was expected");
        }
        if (!isSingleObjectEncoded(bytes)) {
            throw new RecordDecodingException("Not Avro single-object encoded (missing C3 01 marker)");
        }
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new RecordDecodingException("Unknown writer schema for " + type.getSimpleName()
                    + " (fingerprint not among known versions): " + e.getMessage(), e);
        } catch (BadHeaderException e) {
            throw new RecordDecodingException("Bad Avro header: " + e.getMessage(), e);
        } catch (IOException | AvroRuntimeException | ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new RecordDecodingException("Corrupt " + type.getSimpleName() + " payload: " + e, e);
        }
    }

    /** True when the bytes start with the single-object marker; cheap enough to sniff the format per record. */
    public static boolean isSingleObjectEncoded(byte[] bytes) {
        return bytes != null && bytes.length >= 10 && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01;
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
