package dev.streamtune.evaluator.deadletters;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.streamtune.contract.ReasonCode;
import dev.streamtune.contract.RecordDecodingException;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.AccessControl;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.RejectedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka edge of dead-letter replay: sends one task's dead letters with one reason back to their source topics,
 * each dead letter once ever, then waits a while for ingest's verdicts on them.
 *
 * <p><b>Exactly once.</b> Each (task, reason) has a consumer group of its own on examples.rejected,
 * {@code streamtune-evaluator-replay.<task>.<reason>}, whose committed position says how far that replay has gone.
 * A replay reads from that position to the end the topic had when it started, and commits the replayed originals
 * and the group's new position in one transaction ({@code sendOffsetsToTransaction}): either both are visible or
 * neither, so a crash between them cannot replay twice or skip. The next replay starts where this one ended; a
 * dead letter that arrives later (a replayed record rejected again included: it is a new dead letter) is replayed
 * by a later call. The producer's fixed transactional id fences a zombie replayer, and its
 * {@code initTransactions()} settles a transaction a crashed one left open before the position is read
 * ({@code read_committed} offset fetches wait for pending offsets). Replays are serialised in this process.
 *
 * <p>Replayed records carry their original key and id ({@link OriginalRecord}) and the time they were dead-lettered
 * as their timestamp (the nearest to the original that the dead letter records: ingest reads a missing event time
 * from it).
 */
public final class DeadLetterReplayer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplayer.class);

    /** A replay that reads nothing for this long gives up (the broker is away); what it committed stays. */
    private static final Duration STALLED = Duration.ofSeconds(60);

    private final KafkaConnection kafka;
    private KafkaProducer<byte[], byte[]> producer;

    public DeadLetterReplayer(KafkaConnection kafka) {
        this.kafka = kafka;
    }

    /** The consumer group that holds how far the replays of (task, reason) have gone. */
    public static String groupId(String task, ReasonCode reason) {
        return AccessControl.EVALUATOR_REPLAY_GROUP_PREFIX + task + "." + reason.name();
    }

    /**
     * Replays what has not been replayed yet and waits up to {@code verdictWait} for ingest's verdicts.
     *
     * @throws IllegalArgumentException when {@code reason} is not {@link ReasonCode#replayable()}
     * @throws KafkaException when the broker refused a transaction: nothing of the failed batch is visible and its
     *     position is not moved, so calling again is safe
     */
    public synchronized ReplayReport replay(String task, ReasonCode reason, Duration verdictWait) {
        if (!reason.replayable()) {
            // Such bytes would only be dead-lettered again, and each replay would add one more copy.
            throw new IllegalArgumentException(reason + " is not a replayable reason; one of "
                    + ReasonCode.replayableChoices());
        }
        KafkaProducer<byte[], byte[]> writer = producer();
        String group = groupId(task, reason);
        Set<String> replayedIds = new HashSet<>();
        Map<String, Integer> unreplayable = new TreeMap<>();
        int replayed = 0;
        try (KafkaConsumer<byte[], byte[]> letters = KafkaClients.groupConsumer(kafka, group + "-reader", group,
                     Duration.ofMinutes(5));
             KafkaConsumer<byte[], byte[]> verdicts = KafkaClients.assignedConsumer(kafka, group + "-verdicts")) {
            List<TopicPartition> partitions = KafkaClients.partitions(letters, List.of(Topics.REJECTED_RECORDS));
            letters.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = letters.committed(new HashSet<>(partitions));
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata at = committed.get(tp);
                if (at == null) {
                    letters.seekToBeginning(List.of(tp));
                } else {
                    letters.seek(tp, at.offset());
                }
            }
            Map<TopicPartition, Long> end = letters.endOffsets(partitions);
            List<TopicPartition> verdictPartitions = KafkaClients.partitions(verdicts,
                    List.of(Topics.CLEAN_EXAMPLES, Topics.REJECTED_RECORDS));
            verdicts.assign(verdictPartitions);
            verdicts.endOffsets(verdictPartitions).forEach(verdicts::seek); // verdicts come after what we send

            Map<TopicPartition, Long> next = new HashMap<>();
            partitions.forEach(tp -> next.put(tp, letters.position(tp)));
            Instant progressed = Instant.now();
            while (partitions.stream().anyMatch(tp -> next.get(tp) < end.get(tp))) {
                if (Instant.now().isAfter(progressed.plus(STALLED))) {
                    throw new KafkaException("no dead letters could be read for " + STALLED.toSeconds() + " s; "
                            + replayed + " were replayed before");
                }
                Map<TopicPartition, Long> before = new HashMap<>(next);
                ReplayPlan plan = new ReplayPlan(task, reason);
                for (ConsumerRecord<byte[], byte[]> record : letters.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(tp)) {
                        continue; // arrived after the replay started: the next replay's
                    }
                    decode(record).ifPresent(plan::offer);
                    next.put(tp, record.offset() + 1);
                }
                // positions past transaction markers (and aborted data) count as read too
                partitions.forEach(tp -> next.put(tp, Math.max(next.get(tp),
                        Math.min(letters.position(tp), end.get(tp)))));
                if (next.equals(before)) {
                    continue; // nothing read: nothing to commit
                }
                progressed = Instant.now();
                commit(writer, plan, next, letters);
                replayed += plan.originals().size();
                replayedIds.addAll(plan.ids());
                plan.unreplayable().forEach((why, n) -> unreplayable.merge(why, n, Integer::sum));
            }
            LOG.info("Replayed {} {} dead letters of task {} ({} could not go back)", replayed, reason, task,
                    unreplayable.values().stream().mapToInt(Integer::intValue).sum());
            ReplayVerdicts tally = awaitVerdicts(verdicts, task, replayedIds, verdictWait);
            return new ReplayReport(task, reason.name(), replayed, unreplayable, tally.accepted(),
                    tally.rejectedAgain(), tally.pending());
        }
    }

    /** One transaction: the batch's originals and the group position after it, or nothing. */
    private void commit(KafkaProducer<byte[], byte[]> writer, ReplayPlan plan, Map<TopicPartition, Long> next,
                        KafkaConsumer<byte[], byte[]> letters) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        next.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
        try {
            writer.beginTransaction();
            for (OriginalRecord original : plan.originals()) {
                writer.send(new ProducerRecord<>(original.topic(), null, original.timestamp(), original.key(),
                        original.value()));
            }
            writer.sendOffsetsToTransaction(offsets, letters.groupMetadata());
            writer.commitTransaction();
        } catch (KafkaException e) {
            discardProducer();
            throw e;
        }
    }

    private ReplayVerdicts awaitVerdicts(KafkaConsumer<byte[], byte[]> verdicts, String task, Set<String> ids,
                                         Duration wait) {
        ReplayVerdicts tally = new ReplayVerdicts(task, ids);
        Instant deadline = Instant.now().plus(wait);
        while (!tally.complete() && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<byte[], byte[]> record : verdicts.poll(Duration.ofMillis(200))) {
                try {
                    if (Topics.CLEAN_EXAMPLES.name().equals(record.topic())) {
                        tally.clean((CleanExample) Topics.CLEAN_EXAMPLES.decode(record.value()));
                    } else {
                        tally.rejected((RejectedRecord) Topics.REJECTED_RECORDS.decode(record.value()));
                    }
                } catch (RecordDecodingException unreadable) {
                    // not a verdict on anything of ours
                }
            }
        }
        return tally;
    }

    private static Optional<RejectedRecord> decode(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of((RejectedRecord) Topics.REJECTED_RECORDS.decode(record.value()));
        } catch (RecordDecodingException unreadable) {
            LOG.warn("Skipping an unreadable dead letter at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), unreadable.getMessage());
            return Optional.empty();
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            KafkaProducer<byte[], byte[]> created = KafkaClients.transactionalProducer(kafka,
                    AccessControl.EVALUATOR_REPLAY_TRANSACTIONAL_ID, AccessControl.EVALUATOR_REPLAY_TRANSACTIONAL_ID);
            try {
                created.initTransactions();
            } catch (KafkaException e) {
                created.close(Duration.ZERO);
                throw e;
            }
            producer = created;
        }
        return producer;
    }

    /** After a failed transaction: a fresh producer next time (its initTransactions aborts what is left open). */
    private void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
