package dev.streamtune.trainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.streamtune.contract.RecordSigner;
import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.SigningConfig;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.ConsumerLoop;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TaskCatalogueFollower;
import dev.streamtune.kafka.TopicFollower;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.kafka.UnreadableRecords;
import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BaseModelSource;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.RetrainRequest;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.service.KafkaConfig;
import dev.streamtune.trainer.checkpoint.OffsetLedger;
import dev.streamtune.trainer.checkpoint.TrainerCheckpoint;
import dev.streamtune.trainer.round.RoundRunner;
import dev.streamtune.trainer.round.WorkQueue;
import dev.streamtune.trainer.training.ContinualLearner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's Kafka edge: it only translates between records and the pure parts. One thread (DJL allows one gradient computation per JVM) reads clean examples and
 * closed windows, assembles complete windows, and every {@code windows-per-candidate} windows (or at once on a
 * retrain request) trains a candidate from the approved adapter, writes its file and publishes an
 * {@link AdapterCandidate}. Resumes after a crash from its checkpoint: reading positions that lose nothing, the
 * round in progress, or a trained round not yet published. A fault (the broker away, a failed send, an adapter file
 * that cannot be written) does the same without the crash: the loop reconnects with backoff, re-reads from its
 * committed positions and retries the round from its checkpoint. Candidates go out signed with the trainer's key;
 * only deployments signed by a trusted evaluator key are trained from.
 *
 * <p>Each task's head layout (its labels, in catalogue order), state and training overrides come from the task
 * catalogue ({@link TaskCatalogueFollower}, definitions signed by the evaluator), read when a round starts: windows
 * of a task not (yet) defined or paused wait, a retired task's are skipped, and labels appended since the approved
 * adapter was trained grow its head ({@link ContinualLearner#startingPoint}).
 *
 * <p>The parts: {@link WorkQueue} (which windows are complete and when a task's round is due), {@link RoundRunner}
 * (one round: starting point, learning, checkpoints, resume, the candidate), and this class (consumers, producer,
 * rebalances, the loop, committed offsets via {@link OffsetLedger}, publishing).
 */
@Context
public final class TrainerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);
    /** What trainer workers split between them by partition (co-partitioned, keyed by task). */
    private static final List<TopicSpec> WORK = List.of(Topics.CLEAN_EXAMPLES, Topics.CLOSED_WINDOWS,
            Topics.RETRAIN_REQUESTS);

    /** Rounds train on the polling thread: the group must not evict a worker for being busy this long. */
    private static final Duration MAX_ROUND_DURATION = Duration.ofHours(1);

    private final TrainerSettings settings;
    private final KafkaConnection kafka;
    private final String baseModelDirectory;
    private final MeterRegistry meters;
    private final RecordSigner signer;
    private final RecordVerifier verifier;
    /** Where adapter files are written, and the only place parent adapters are read from. */
    private final Path store;
    private final ConsumerLoop loop;
    private final UnreadableRecords unreadable = new UnreadableRecords("trainer");
    /** The task catalogue: each task's labels, state and overrides, live. */
    private final TaskCatalogueFollower catalogue;
    /**
     * The approved adapters, read by every worker (no group): the first round of a task starts from the right one.
     * Written on the follower's thread, read on the training thread.
     */
    private final TopicFollower approved;
    private final Map<String, Deployment> deployments = new ConcurrentHashMap<>();
    // In-memory work of the partitions this worker owns; forgotten when they are revoked (the new owner re-reads).
    private final WorkQueue queue;
    private OffsetLedger ledger = new OffsetLedger();
    private volatile boolean consuming;
    /** A round failed and is being retried: reconnecting and re-reading is no sign that the fault is over. */
    private boolean roundFailing;
    private volatile List<String> owned = List.of();
    private BaseModel base;
    private TrainerCheckpoint checkpoint;
    private RoundRunner rounds;

    public TrainerService(TrainerSettings settings, KafkaConfig kafka,
                          @Value("${streamtune.model.base-dir:}") String baseModelDirectory,
                          MeterRegistry meters, @Value("${streamtune.signing.private-key:}") String privateKey,
                          @Value("${streamtune.signing.trusted-keys:}") String trustedKeys) {
        this.settings = settings;
        RoundRunner.checkAugmentation(settings.augmentation()); // a missing dictionary fails here, not in a round
        this.kafka = kafka.connection();
        this.signer = SigningConfig.signer(privateKey, SignerRole.TRAINER);
        this.verifier = new RecordVerifier(SigningConfig.trustedKeys(trustedKeys), (topic, reason) ->
                meters.counter(RecordVerifier.REJECTED_METER, "topic", topic, "reason", reason.tag()).increment());
        this.store = AdapterArtifact.storeUnder(Path.of(settings.home()));
        this.baseModelDirectory = baseModelDirectory;
        this.meters = meters;
        this.catalogue = new TaskCatalogueFollower("trainer", this.kafka, verifier).start();
        this.approved = new TopicFollower("trainer-deployments", this.kafka, List.of(Topics.DEPLOYMENTS),
                topic -> null, verifier, (topic, value, timestamp) -> {
                    Deployment deployment = (Deployment) value;
                    deployments.put(deployment.getTask(), deployment);
                }).start();
        this.queue = new WorkQueue(settings.windowsPerCandidate());
        this.loop = ConsumerLoop.recovering("trainer-loop", false, this::run);
        loop.start();
    }

    public boolean alive() {
        return loop.alive();
    }

    /** The loop, for health: its survived faults and the one in progress. */
    ConsumerLoop loop() {
        return loop;
    }

    /** Records skipped because the codec refused them, per topic. */
    public Map<String, Long> skippedRecords() {
        Map<String, Long> skipped = new TreeMap<>(unreadable.skipped());
        approved.skippedRecords().forEach((topic, count) -> skipped.merge(topic, count, Long::sum));
        return skipped;
    }

    /** Why each task with windows due is not being trained now (waiting for the catalogue, or refused). */
    public Map<String, String> heldTasks() {
        return queue.heldTasks();
    }

    /** The approved adapter of each task, as read from the deployments topic: where its next round starts. */
    public Map<String, String> approvedAdapters() {
        Map<String, String> approved = new TreeMap<>();
        deployments.forEach((task, deployment) -> approved.put(task, deployment.getAdapterId()));
        return approved;
    }

    /** Whether the task catalogue and the approved adapters have been read up to where they were at start. */
    public boolean controlTopicsRead() {
        return catalogue.caughtUp() && approved.caughtUp();
    }

    /** True once the base model is loaded and the trainer is consuming. */
    public boolean isConsuming() {
        return consuming;
    }

    /** The work partitions this worker owns in its group, e.g. "examples.clean-0". */
    public List<String> ownedPartitions() {
        return owned;
    }

    /** One attempt: connect, join the group, and train until stopped or a fault (then the loop retries). */
    private void run() throws Exception {
        if (base == null) { // once: the model outlives Kafka faults
            checkpoint = new TrainerCheckpoint(Path.of(settings.home(), "trainer"));
            long started = System.nanoTime();
            base = BaseModelSource.load(baseModelDirectory);
            LOG.info("Base model {} loaded in {} ms", base.id(), (System.nanoTime() - started) / 1_000_000);
            base.cacheFrozenLayers(settings.frozenLayerCacheMb() * 1024L * 1024L);
            rounds = new RoundRunner(base, settings, checkpoint, store);
        }
        // A failed round may have updated a learner's replay and Fisher in memory: start again from the saved ones.
        rounds.forgetLearners();
        new TopicProvisioner(kafka).ensureAll();
        try (KafkaConsumer<byte[], byte[]> work = newGroupConsumer();
             KafkaProducer<byte[], byte[]> producer = newProducer()) {
            loop.polling(work);
            work.subscribe(WORK.stream().map(TopicSpec::name).toList(), new WorkAssignment(work, producer));
            consuming = true;
            if (!roundFailing) {
                loop.progressed();
            }
            LOG.info("Trainer consuming as a member of group {}", settings.groupId());
            while (loop.running()) {
                var records = work.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    handle(record);
                }
                if (!records.isEmpty() && !roundFailing) {
                    loop.progressed();
                }
                queue.collectCompleteWindows();
                ledger.release(queue.trainedWindows());
                // Until the catalogue and the approved adapters are read, a round would not know its head or its
                // starting point: windows are collected meanwhile and trained once both are.
                if (controlTopicsRead()) {
                    trainWhatIsDue(work, producer);
                }
            }
        } finally {
            consuming = false;
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        Object value = unreadable.decode(record).orElse(null);
        if (value != null && !verifier.admits(record.topic(), value, record.partition() + "@" + record.offset())) {
            return;
        }
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (value instanceof CleanExample example && queue.offer(example)) {
            ledger.hold(partition, record.offset(), example.getWindowId());
        } else if (value instanceof TrainingWindow window && queue.offer(window)) {
            ledger.hold(partition, record.offset(), window.getWindowId());
        } else if (value instanceof RetrainRequest request) {
            LOG.info("Retrain requested for {} ({}): the next complete window is trained at once", request.getTask(),
                    request.getReason());
            queue.requestRetrain(request.getTask());
        }
    }

    private void trainWhatIsDue(KafkaConsumer<byte[], byte[]> work, KafkaProducer<byte[], byte[]> producer)
            throws Exception {
        WorkQueue.Surroundings surroundings = new WorkQueue.Surroundings() {
            @Override
            public Optional<TaskDefinition> definition(String task) {
                return catalogue.current().find(task);
            }

            @Override
            public Set<String> rememberedLabels(String task) throws IOException {
                return rounds.rememberedLabels(task);
            }

            @Override
            public String approvedAdapter(String task) {
                Deployment parent = deployments.get(task);
                return parent == null ? null : parent.getAdapterId();
            }
        };
        Optional<WorkQueue.DueRound> due;
        while ((due = queue.next(surroundings)).isPresent()) {
            ledger.release(queue.trainedWindows()); // a retired task's windows were dropped on the way
            WorkQueue.DueRound round = due.get();
            AdapterCandidate candidate;
            try {
                candidate = rounds.run(round, deployments.get(round.task()), loop::running);
            } catch (ContinualLearner.HeadLayoutMismatch e) {
                // Nothing was written: the windows stay, and the round is tried again when the approved adapter or
                // the task's definition changes.
                queue.refused(round, e.getMessage());
                meters.counter("trainer_rounds_refused_total", "task", round.task()).increment();
                continue;
            } catch (Exception | Error e) {
                roundFailing = !(e instanceof ConsumerLoop.StopRequested);
                throw e;
            }
            publish(producer, candidate);
            queue.trained(round);
            ledger.release(queue.trainedWindows());
            commitRestartPositions(work, work.assignment());
            checkpoint.clearRound(round.task());
            roundFailing = false;
            loop.progressed();
        }
        ledger.release(queue.trainedWindows());
    }

    /** Publishes {@code candidate} signed with the trainer's key (also one saved before a crash). */
    private void publish(KafkaProducer<byte[], byte[]> producer, AdapterCandidate candidate) throws Exception {
        producer.send(new ProducerRecord<>(Topics.ADAPTER_CANDIDATES.name(),
                candidate.getTask().getBytes(StandardCharsets.UTF_8),
                Topics.ADAPTER_CANDIDATES.encode(signer.sign(candidate))))
                .get(60, TimeUnit.SECONDS);
        meters.counter("trainer_candidates_total", "task", candidate.getTask()).increment();
        LOG.info("Published candidate {} ({}): {}", candidate.getCandidateId(), candidate.getArtifactUri(),
                candidate.getValidationMetrics());
    }

    /**
     * A round trained and saved before a crash, but never published: publish it now. Only for tasks whose partition
     * this worker owns, so two workers never publish the same round.
     */
    private void publishPendingRounds(KafkaProducer<byte[], byte[]> producer, Set<Integer> ownedPartitions,
                                      int partitionCount) throws Exception {
        for (String task : checkpoint.tasks()) {
            Optional<AdapterCandidate> pending = checkpoint.pending(task);
            if (pending.isPresent() && ownedPartitions.contains(KafkaClients.partitionOf(task, partitionCount))) {
                if (!queue.isTrained(pending.get().getWindowIds())) {
                    LOG.info("Publishing candidate {} trained before the restart", pending.get().getCandidateId());
                    publish(producer, pending.get());
                    queue.markTrained(pending.get().getWindowIds());
                }
                checkpoint.clearRound(task);
            }
        }
    }

    /** Window ids that already have a published candidate, from the candidates topic itself. */
    private Set<String> publishedWindows() {
        Set<String> windows = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> candidates = newConsumer()) {
            readToEnd(candidates, Topics.ADAPTER_CANDIDATES, record -> {
                if (unreadable.decode(record).orElse(null) instanceof AdapterCandidate candidate
                        && verifier.admits(record.topic(), candidate, record.partition() + "@" + record.offset())) {
                    windows.addAll(candidate.getWindowIds());
                }
            });
        }
        return windows;
    }

    /**
     * Assigns all of the topic's partitions and hands every record from the beginning up to the current end over.
     * Not a {@link TopicFollower}: this is a one-off read, inside a rebalance, to the end as of that moment (what
     * another worker published just before), where a follower's catch-up is to the end at its own start.
     */
    private static void readToEnd(KafkaConsumer<byte[], byte[]> consumer, TopicSpec topic,
                                  java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        List<TopicPartition> partitions = KafkaClients.partitions(consumer, List.of(topic));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            consumer.poll(Duration.ofMillis(500)).forEach(handler);
        }
    }

    /**
     * Commits, per partition, the offset of the earliest record still needed (held for a window not yet trained),
     * else the current position: a restart or the partition's next owner loses nothing.
     */
    private void commitRestartPositions(KafkaConsumer<byte[], byte[]> work, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        partitions.forEach(tp -> positions.put(tp, work.position(tp)));
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        ledger.restartPositions(positions).forEach((tp, offset) -> {
            if (partitions.contains(tp)) {
                commits.put(tp, new OffsetAndMetadata(offset));
            }
        });
        work.commitSync(commits);
    }

    /** Hands partitions (and with them whole tasks) between the workers of the group. */
    private final class WorkAssignment implements ConsumerRebalanceListener {

        private final KafkaConsumer<byte[], byte[]> work;
        private final KafkaProducer<byte[], byte[]> producer;

        WorkAssignment(KafkaConsumer<byte[], byte[]> work, KafkaProducer<byte[], byte[]> producer) {
            this.work = work;
            this.producer = producer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                commitRestartPositions(work, partitions);
            }
            forgetWork();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forgetWork(); // no longer ours to commit; the next owner starts from the last commit
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            owned = partitions.stream().map(TopicPartition::toString).sorted().toList();
            LOG.info("Trainer owns {}", owned);
            if (partitions.isEmpty()) {
                return;
            }
            // Another worker may have trained windows of these partitions since we last looked.
            queue.markTrained(publishedWindows());
            Set<Integer> examplePartitions = new HashSet<>();
            partitions.stream().filter(tp -> tp.topic().equals(Topics.CLEAN_EXAMPLES.name()))
                    .forEach(tp -> examplePartitions.add(tp.partition()));
            try {
                publishPendingRounds(producer, examplePartitions,
                        work.partitionsFor(Topics.CLEAN_EXAMPLES.name()).size());
            } catch (Exception e) {
                throw new IllegalStateException("could not publish a candidate trained before the restart", e);
            }
        }

        // Eager (range) rebalancing revokes everything at once, so all in-memory work goes.
        private void forgetWork() {
            owned = List.of();
            queue.forget();
            ledger = new OffsetLedger();
        }
    }

    private KafkaConsumer<byte[], byte[]> newGroupConsumer() {
        return KafkaClients.groupConsumer(kafka, "trainer", settings.groupId(),
                MAX_ROUND_DURATION);
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        return KafkaClients.assignedConsumer(kafka, "trainer");
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        return KafkaClients.producer(kafka, "trainer", 0);
    }

    @PreDestroy
    @Override
    public void close() {
        // A round in progress checkpoints and stops after its current step.
        loop.stop(Duration.ofSeconds(60));
        approved.close();
        catalogue.close();
        if (base != null && !loop.alive()) {
            base.close();
        }
    }
}
