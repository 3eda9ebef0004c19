package dev.streamtune.launcher.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code ./streamtune watch <topic> [--from-beginning]}: prints each record of a catalogue topic as one JSON line,
 * Avro decoded ({@link AvroJson}), JSON records (what kcat users produce to the input topics) as they are, for
 * people who cannot read Avro bytes in kcat. Follows the topic until Ctrl-C; without --from-beginning only records
 * that arrive from now on.
 */
public final class WatchCommand {

    public static final String USAGE = "Usage: ./streamtune watch <topic> [--from-beginning]\n  topics: "
            + Topics.ALL.stream().map(TopicSpec::name).toList();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to watch. */
    public record Watch(TopicSpec topic, boolean fromBeginning) {
    }

    private WatchCommand() {
    }

    public static Watch parse(List<String> args) {
        List<String> rest = new ArrayList<>(args);
        boolean fromBeginning = rest.remove("--from-beginning");
        if (rest.size() != 1 || rest.get(0).startsWith("--")) {
            throw new TasksCommand.UsageException("watch needs one topic name");
        }
        String name = rest.get(0);
        TopicSpec topic = Topics.ALL.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() ->
                new TasksCommand.UsageException("no topic '" + name + "' in the catalogue"));
        return new Watch(topic, fromBeginning);
    }

    /** One record as the line printed for it; empty for a tombstone. */
    public static Optional<String> line(TopicSpec topic, byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        String text = new String(value, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            try {
                return Optional.of(JSON.readTree(text).toString()); // a JSON record, one line
            } catch (java.io.IOException notJson) {
                // an Avro record that happens to start with '{' is not possible (magic bytes); fall through
            }
        }
        try {
            SpecificRecord record = topic.decode(value);
            return Optional.of(AvroJson.of(record).toString());
        } catch (RuntimeException unreadable) {
            ObjectNode note = JSON.createObjectNode();
            note.put("unreadable", String.valueOf(unreadable.getMessage()));
            note.put("bytes", value.length);
            return Optional.of(note.toString());
        }
    }

    /** Follows the topic until the process is stopped. */
    public static void run(Watch watch, KafkaConnection kafka, PrintStream out) {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.assignedConsumer(kafka, "streamtune-watch")) {
            List<TopicPartition> partitions = KafkaClients.partitions(consumer, List.of(watch.topic()));
            consumer.assign(partitions);
            if (watch.fromBeginning()) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            partitions.forEach(consumer::position); // fix "now" before the first poll
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    line(watch.topic(), record.value()).ifPresent(out::println);
                }
                out.flush();
            }
        }
    }
}
