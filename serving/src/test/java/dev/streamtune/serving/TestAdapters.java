package dev.streamtune.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamtune.contract.AvroSerde;
import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.kafka.TaskTopicFixture;
import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.model.AdapterFile;
import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.nn.ClassifierHead;
import dev.streamtune.model.weights.Tensor;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.testsupport.KafkaBroker;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Adapter files, deployment records and a started service for the integration tests. Records go out signed by a
 * test evaluator key (one key directory per test JVM), as the evaluator would sign them; adapter files belong in
 * the store of the home directory the service is started with ({@link #store}).
 */
public final class TestAdapters {

    public static final List<String> SENTIMENT = List.of("negative", "positive");
    private static BaseModel base;
    private static LocalSigningKeys keys;

    private TestAdapters() {
    }

    /** The bundled MiniLM, loaded once per test JVM, to write adapter files with. */
    public static synchronized BaseModel base() {
        if (base == null) {
            base = BuiltInModels.miniLm();
        }
        return base;
    }

    /** The signing keys of this test JVM: the evaluator's signs what {@link #send} sends, serving trusts them. */
    public static synchronized LocalSigningKeys keys() {
        if (keys == null) {
            try {
                Path dir = Files.createTempDirectory("streamtune-test-keys");
                dir.toFile().deleteOnExit();
                keys = LocalSigningKeys.ensure(dir.resolve("keys"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keys;
    }

    /** The adapter store of {@code home} (created): where adapter files must be for the service to load them. */
    public static Path store(Path home) {
        try {
            return Files.createDirectories(AdapterArtifact.storeUnder(home));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh (untrained, seeded) adapter file. */
    public static Path create(Path dir, String name, List<String> labels, long seed) {
        Path file = dir.resolve(name + ".adapter");
        try (TextClassifier classifier = TextClassifier.create(base(), ClassifierConfig.of(labels).withSeed(seed))) {
            classifier.save(file, Map.of("adapter", name, "parent", "none", "windows", "w-" + seed));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * {@code source} with its head grown by one label, as the trainer grows a head when a label is appended: the
     * old rows (weights and biases) kept exactly, a new row of zero weights with bias {@code newBias} at the end.
     * A large bias makes the new label the answer to every text, so a test can see the grown head answering.
     */
    public static Path grown(Path source, Path target, String newLabel, float newBias) {
        try {
            AdapterFile.Contents contents = AdapterFile.read(source);
            AdapterFile.Metadata m = contents.metadata();
            List<String> labels = new ArrayList<>(m.classifier().labels());
            labels.add(newLabel);
            Map<String, Tensor> tensors = new java.util.TreeMap<>(contents.tensors());
            Tensor weight = tensors.get(ClassifierHead.WEIGHT);
            Tensor bias = tensors.get(ClassifierHead.BIAS);
            int hidden = (int) weight.shape()[1];
            tensors.put(ClassifierHead.WEIGHT, new Tensor(ClassifierHead.WEIGHT,
                    new long[] {labels.size(), hidden}, java.util.Arrays.copyOf(weight.data(), labels.size() * hidden)));
            float[] grownBias = java.util.Arrays.copyOf(bias.data(), labels.size());
            grownBias[labels.size() - 1] = newBias;
            tensors.put(ClassifierHead.BIAS, new Tensor(ClassifierHead.BIAS, new long[] {labels.size()}, grownBias));
            Map<String, String> lineage = new java.util.HashMap<>(m.lineage());
            lineage.put("grown-from", source.getFileName().toString());
            AdapterFile.write(target, new AdapterFile.Metadata(m.baseModelId(), m.baseModelChecksum(),
                    new ClassifierConfig(labels, m.classifier().lora(), m.classifier().trainableTopLayers(),
                            m.classifier().hiddenDropout(), m.classifier().attentionDropout(),
                            m.classifier().classifierDropout(), m.classifier().maxSequenceLength(),
                            m.classifier().seed()), lineage), tensors.values());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of {@code source} that says it was trained on another base model: intact bytes, wrong weights. */
    public static Path wrongBase(Path source, Path target) {
        try {
            AdapterFile.Contents contents = AdapterFile.read(source);
            AdapterFile.Metadata m = contents.metadata();
            AdapterFile.write(target, new AdapterFile.Metadata("BAAI/bge-small-en-v1.5", "ab".repeat(32),
                    m.classifier(), m.lineage()), contents.tensors().values());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of {@code source} with its last bytes (tensor data) flipped. */
    public static Path corrupt(Path source, Path target) {
        try {
            byte[] bytes = Files.readAllBytes(source);
            for (int i = bytes.length - 16; i < bytes.length; i++) {
                bytes[i] = (byte) ~bytes[i];
            }
            Files.write(target, bytes);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(Path file) {
        try {
            return AdapterArtifact.sha256(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Deployment deployment(String task, String adapterId, Path file, String sha256, String decisionId,
                                        String previous) {
        return Deployment.newBuilder().setTask(task).setAdapterId(adapterId)
                .setArtifactUri(file.toAbsolutePath().toUri().toString()).setArtifactSha256(sha256)
                .setBaseModelId(BuiltInModels.MINILM_ID).setDecisionId(decisionId).setPreviousAdapterId(previous)
                .setDeployedAt(Instant.now()).build();
    }

    public static Deployment deployment(String task, String adapterId, Path file, String previous) {
        return deployment(task, adapterId, file, sha256(file), "decision-" + adapterId, previous);
    }

    /**
     * Defines tasks in the catalogue as the evaluator would (version 1, the built-in policies, signed): serving
     * answers only for tasks the catalogue holds.
     */
    public static void defineTasks(KafkaBroker broker, List<String> labels, String... tasks) {
        defineTasks(broker, java.util.Arrays.stream(tasks)
                .map(task -> TaskCatalogue.newTask(task, labels, "test", Instant.now()))
                .toArray(TaskDefinition[]::new));
    }

    /** Writes these definitions (each a valid successor of what the topic holds for its task), signed. */
    public static void defineTasks(KafkaBroker broker, TaskDefinition... definitions) {
        defineTasks(broker.bootstrapServers(), definitions);
    }

    /** As {@link #defineTasks(KafkaBroker, TaskDefinition...)}, for a broker in its own process. */
    public static void defineTasks(String bootstrapServers, TaskDefinition... definitions) {
        TaskTopicFixture.publish(bootstrapServers, keys().signer(SignerRole.EVALUATOR), definitions);
    }

    /** Sends {@code value}, signed by the test evaluator key when it is a decision or deployment. */
    public static void send(KafkaProducer<byte[], byte[]> producer, TopicSpec topic, String key, SpecificRecord value) {
        sendAsIs(producer, topic, key, SignerRole.requiredFor(value.getClass()).isPresent()
                ? keys().signer(SignerRole.EVALUATOR).sign(value) : value);
    }

    /** Sends {@code value} exactly as given: what anyone with a plain Kafka client can do. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void sendAsIs(KafkaProducer<byte[], byte[]> producer, TopicSpec topic, String key,
                                SpecificRecord value) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8),
                    topic.valueSerde((Class) value.getClass()).serialize(topic.name(), value))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a topic from the beginning until {@code atLeast} records match, or the timeout passes. */
    public static <T extends SpecificRecord> List<T> read(KafkaBroker broker, TopicSpec topic, Class<T> type,
                                                         java.util.function.Predicate<T> filter, int atLeast,
                                                         Duration timeout) {
        AvroSerde<T> serde = topic.valueSerde(type);
        List<T> matching = new ArrayList<>();
        int[] seen = {0};
        broker.read(topic.name(), records -> {
            for (; seen[0] < records.size(); seen[0]++) {
                try {
                    T value = serde.deserialize(topic.name(), records.get(seen[0]).value());
                    if (value != null && filter.test(value)) {
                        matching.add(value);
                    }
                } catch (RuntimeException ignored) {
                    // JSON lines on the input topics
                }
            }
            return matching.size() >= atLeast;
        }, timeout);
        return matching;
    }

    /** Starts the service on a random port against {@code broker}, reading adapters from {@code home}'s store. */
    public static ApplicationContext start(KafkaBroker broker, Path home, Map<String, Object> extra) {
        Map<String, Object> props = new java.util.HashMap<>(Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap-servers", broker.bootstrapServers(),
                "streamtune.home", home.toString()));
        props.putAll(keys().properties(null));
        props.putAll(extra);
        return ApplicationContext.run(EmbeddedServer.class, props).getApplicationContext();
    }

    public static String url(ApplicationContext context) {
        return context.getBean(EmbeddedServer.class).getURL().toString();
    }
}
