package dev.streamtune.trainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
import dev.streamtune.model.AdapterLoadException;
import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BaseModelSource;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.TrainingSession;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.RetrainRequest;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.service.KafkaConfig;
import dev.streamtune.trainer.catalogue.RoundReadiness;
import dev.streamtune.trainer.catalogue.TrainingOverrides;
import dev.streamtune.trainer.checkpoint.OffsetLedger;
import dev.streamtune.trainer.checkpoint.TrainerCheckpoint;
import dev.streamtune.trainer.training.ContinualLearner;
import dev.streamtune.trainer.training.HyperparameterSearch;
import dev.streamtune.trainer.window.WindowAssembler;
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
 * The trainer's Kafka edge. One thread (DJL allows one gradient computation per JVM) reads clean examples and
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
    // In-memory work of the partitions this worker owns; dropped when they are revoked (the new owner re-reads).
    private WindowAssembler assembler = new WindowAssembler();
    private OffsetLedger ledger = new OffsetLedger();
    private final Set<String> trainedWindows = new HashSet<>();
    private final Map<String, List<WindowAssembler.Window>> ready = new LinkedHashMap<>();
    private final Set<String> retrainRequested = new HashSet<>();
    private final Map<String, ContinualLearner> learners = new HashMap<>();
    /** Why each task's due windows are not being trained (waiting or refused), logged when it changes. */
    private final Map<String, String> held = new ConcurrentHashMap<>();
    /**
     * Tasks whose approved adapter does not fit their labels, with the deployment and definition version that
     * were refused: not tried again until either changes.
     */
    private final Map<String, String> refused = new HashMap<>();
    private volatile boolean consuming;
    /** A round failed and is being retried: reconnecting and re-reading is no sign that the fault is over. */
    private boolean roundFailing;
    private volatile List<String> owned = List.of();
    private BaseModel base;
    private TrainerCheckpoint checkpoint;

    public TrainerService(TrainerSettings settings, KafkaConfig kafka,
                          @Value("${streamtune.model.base-dir:}") String baseModelDirectory,
                          MeterRegistry meters, @Value("${streamtune.signing.private-key:}") String privateKey,
                          @Value("${streamtune.signing.trusted-keys:}") String trustedKeys) {
        this.settings = settings;
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
        return new TreeMap<>(held);
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
        }
        // A failed round may have updated a learner's replay and Fisher in memory: start again from the saved ones.
        learners.clear();
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
                collectCompleteWindows();
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
        if (value instanceof CleanExample example && !trainedWindows.contains(example.getWindowId())) {
            assembler.add(example);
            ledger.hold(partition, record.offset(), example.getWindowId());
        } else if (value instanceof TrainingWindow window && !trainedWindows.contains(window.getWindowId())) {
            assembler.add(window);
            ledger.hold(partition, record.offset(), window.getWindowId());
        } else if (value instanceof RetrainRequest request) {
            LOG.info("Retrain requested for {} ({}): the next complete window is trained at once", request.getTask(),
                    request.getReason());
            retrainRequested.add(request.getTask());
        }
    }

    private void collectCompleteWindows() {
        Optional<WindowAssembler.Window> complete;
        while ((complete = assembler.nextComplete()).isPresent()) {
            WindowAssembler.Window window = complete.get();
            String task = window.manifest().getTask();
            if (window.train().isEmpty()) {
                // E.g. a window closed by age around one feedback example that the split put in test.
                LOG.info("Window {} has no training examples ({} validation); nothing to train",
                        window.manifest().getWindowId(), window.validation().size());
                trainedWindows.add(window.manifest().getWindowId());
                ledger.release(trainedWindows);
                continue;
            }
            ready.computeIfAbsent(task, t -> new ArrayList<>()).add(window);
            LOG.info("Window {} complete: {} training and {} validation examples", window.manifest().getWindowId(),
                    window.train().size(), window.validation().size());
        }
    }

    private void trainWhatIsDue(KafkaConsumer<byte[], byte[]> kafka, KafkaProducer<byte[], byte[]> producer)
            throws Exception {
        for (String task : new ArrayList<>(ready.keySet())) {
            List<WindowAssembler.Window> windows = ready.get(task);
            if (windows.size() < settings.windowsPerCandidate() && !retrainRequested.contains(task)) {
                continue;
            }
            TaskDefinition definition = catalogue.current().find(task).orElse(null);
            RoundReadiness readiness = RoundReadiness.of(task, definition, labelsUsed(task, windows));
            if (readiness instanceof RoundReadiness.Wait wait) {
                hold(task, wait.reason() + "; " + windows.size() + " window(s) wait (nothing is lost)");
                continue;
            }
            if (readiness instanceof RoundReadiness.Skip skip) {
                List<String> ids = windows.stream().map(w -> w.manifest().getWindowId()).toList();
                LOG.info("{}: skipping windows {}", skip.reason(), ids);
                ready.remove(task);
                retrainRequested.remove(task);
                held.remove(task);
                trainedWindows.addAll(ids);
                ledger.release(trainedWindows);
                continue;
            }
            String attempt = refusalKey(task, definition);
            if (attempt.equals(refused.get(task))) {
                continue; // refused before, and neither the approved adapter nor the definition changed since
            }
            ready.remove(task);
            retrainRequested.remove(task);
            try {
                trainRound(task, definition, windows, kafka, producer);
            } catch (ContinualLearner.HeadLayoutMismatch e) {
                // Nothing was written: the windows stay, and the round is tried again when the approved adapter or
                // the task's definition changes.
                ready.put(task, windows);
                refused.put(task, attempt);
                meters.counter("trainer_rounds_refused_total", "task", task).increment();
                hold(task, "round refused: " + e.getMessage());
                continue;
            } catch (Exception | Error e) {
                roundFailing = !(e instanceof ConsumerLoop.StopRequested);
                throw e;
            }
            held.remove(task);
            refused.remove(task);
            roundFailing = false;
            loop.progressed();
        }
    }

    /** Logs why a task's windows are held, once per reason. */
    private void hold(String task, String reason) {
        if (!reason.equals(held.put(task, reason))) {
            LOG.warn("Not training {} now: {}", task, reason);
        }
    }

    /** The labels a round of these windows trains on: their examples' and the task's replay buffer's. */
    private Set<String> labelsUsed(String task, List<WindowAssembler.Window> windows) throws IOException {
        Set<String> labels = new TreeSet<>();
        windows.forEach(w -> w.train().forEach(e -> labels.add(e.getLabel())));
        windows.forEach(w -> w.validation().forEach(e -> labels.add(e.getLabel())));
        if (settings.replay().enabled()) {
            labels.addAll(learner(task).replay().sizeByLabel().keySet());
        }
        return labels;
    }

    private String refusalKey(String task, TaskDefinition definition) {
        Deployment parent = deployments.get(task);
        return (parent == null ? "-" : parent.getAdapterId()) + "@v" + definition.getVersion();
    }

    private void trainRound(String task, TaskDefinition definition, List<WindowAssembler.Window> windows,
                            KafkaConsumer<byte[], byte[]> kafka, KafkaProducer<byte[], byte[]> producer)
            throws Exception {
        List<String> windowIds = windows.stream().map(w -> w.manifest().getWindowId()).toList();
        String candidateId = "cand-" + windowIds.get(windowIds.size() - 1);
        ContinualLearner learner = learner(task);
        List<String> labels = definition.getLabels();
        TrainingOverrides.Outcome overrides = TrainingOverrides.apply(settings.hyperparameters(),
                definition.getTrainingOverrides());
        overrides.ignored().forEach(problem -> LOG.warn("{}: task {} v{} training override {}", candidateId, task,
                definition.getVersion(), problem));
        TrainerSettings.Hyperparameters hp = overrides.hyperparameters();
        List<CleanExample> train = new ArrayList<>();
        List<CleanExample> validation = new ArrayList<>();
        windows.forEach(w -> {
            train.addAll(w.train());
            validation.addAll(w.validation());
        });
        Deployment parent = deployments.get(task);
        Path parentFile = parentAdapter(parent);
        List<String> lineage = new ArrayList<>();
        lineage.add(parent == null ? "fresh adapter on " + base.id() : "from approved adapter " + parent.getAdapterId());
        lineage.add("windows " + String.join(", ", windowIds));
        lineage.add("task " + task + " v" + definition.getVersion() + ": labels " + labels);
        if (!overrides.applied().isEmpty()) {
            lineage.add("task overrides " + overrides.applied());
        }
        overrides.ignored().forEach(problem -> lineage.add("task override " + problem));

        Optional<TrainerCheckpoint.Round> resumed = checkpoint.round(task)
                .filter(round -> round.candidateId().equals(candidateId));
        if (resumed.isEmpty() && settings.search().enabled()) {
            HyperparameterSearch.Outcome search = new HyperparameterSearch(learner, settings.search())
                    .run(parentFile, labels, train, validation, hp, candidateId);
            hp = search.best();
            search.trials().forEach(trial -> lineage.add("search " + trial));
        }
        long started = System.nanoTime();
        // A resumed round keeps the head it started with (it follows the uninterrupted trajectory); labels appended
        // since are grown into the next round.
        try (TextClassifier classifier = resumed.isPresent() ? TextClassifier.load(base, resumed.get().adapter())
                : start(learner, parentFile, labels, hp, lineage)) {
            int skip = resumed.map(TrainerCheckpoint.Round::batchesDone).orElse(0);
            if (skip > 0) {
                LOG.info("{}: resuming after {} batches from the checkpoint", candidateId, skip);
                lineage.add("resumed after " + skip + " batches (weights and optimizer state from the checkpoint)");
            }
            ContinualLearner.Round round = learner.learn(classifier, train, validation, hp, skip,
                    resumed.map(TrainerCheckpoint.Round::optimizer).orElse(null),
                    (step, batchesDone, session) -> {
                        if (!loop.running()) {
                            saveProgress(task, candidateId, classifier, batchesDone, session);
                            throw new ConsumerLoop.StopRequested();
                        }
                        if (step % settings.checkpointEverySteps() == 0) {
                            saveProgress(task, candidateId, classifier, batchesDone, session);
                        }
                    }, candidateId);

            Path file = Files.createDirectories(store.resolve(task))
                    .resolve(candidateId + ".adapter");
            classifier.save(file, Map.of("candidate", candidateId, "windows", String.join(",", windowIds),
                    "parent", parent == null ? "" : parent.getAdapterId()));
            AdapterArtifact artifact = AdapterArtifact.of(file);
            Map<String, Double> metrics = new LinkedHashMap<>(round.result().metrics());
            metrics.putAll(round.calibration().metrics());
            lineage.add(round.calibration().summary());
            metrics.put("train.seconds", (System.nanoTime() - started) / 1e9);
            AdapterCandidate candidate = AdapterCandidate.newBuilder()
                    .setCandidateId(candidateId).setTask(task).setBaseModelId(base.id())
                    .setBaseModelChecksum(base.checksum())
                    .setParentAdapterId(parent == null ? null : parent.getAdapterId())
                    .setWindowIds(windowIds).setArtifactUri(artifact.uri().toString())
                    .setArtifactSha256(artifact.sha256()).setCreatedAt(Instant.now())
                    .setHyperparameters(describe(round.hyperparameters())).setValidationMetrics(metrics)
                    .setLineage(lineage).build();
            // Replay and Fisher first, then the candidate: a crash in between publishes, never retrains.
            checkpoint.saveReplay(task, learner.replay());
            checkpoint.saveFisher(task, learner.ewc());
            checkpoint.savePending(task, candidate);
            publish(producer, candidate);
        }
        trainedWindows.addAll(windowIds);
        ledger.release(trainedWindows);
        commitRestartPositions(kafka, kafka.assignment());
        checkpoint.clearRound(task);
    }

    private void saveProgress(String task, String candidateId, TextClassifier classifier, int batchesDone,
                              TrainingSession session) {
        try {
            classifier.save(checkpoint.roundAdapter(task), Map.of("checkpoint-of", candidateId));
            checkpoint.saveRound(task, candidateId, batchesDone, session.optimizerState());
        } catch (IOException e) {
            LOG.warn("Could not checkpoint {} after {} batches: {}", candidateId, batchesDone, e.getMessage());
        }
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
                if (!trainedWindows.containsAll(pending.get().getWindowIds())) {
                    LOG.info("Publishing candidate {} trained before the restart", pending.get().getCandidateId());
                    publish(producer, pending.get());
                    trainedWindows.addAll(pending.get().getWindowIds());
                }
                checkpoint.clearRound(task);
            }
        }
    }

    private static TextClassifier start(ContinualLearner learner, Path parentFile, List<String> labels,
                                        TrainerSettings.Hyperparameters hp, List<String> lineage) throws IOException {
        ContinualLearner.Start start = learner.startingPoint(parentFile, labels, hp);
        start.growth().ifPresent(lineage::add);
        return start.classifier();
    }

    private Path parentAdapter(Deployment parent) {
        if (parent == null) {
            return null;
        }
        try {
            return AdapterArtifact.of(parent.getArtifactUri(), parent.getArtifactSha256()).verifiedPath(store);
        } catch (AdapterLoadException e) {
            LOG.warn("Approved adapter {} is unusable ({}); training a fresh one", parent.getAdapterId(),
                    e.getMessage());
            return null;
        }
    }

    private ContinualLearner learner(String task) throws IOException {
        ContinualLearner learner = learners.get(task);
        if (learner == null) {
            learner = new ContinualLearner(base, settings,
                    checkpoint.replay(task, settings.replay().capacity(), settings.hyperparameters().seed()),
                    checkpoint.fisher(task));
            learners.put(task, learner);
        }
        return learner;
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
            trainedWindows.addAll(publishedWindows());
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
            assembler = new WindowAssembler();
            ledger = new OffsetLedger();
            ready.clear();
            retrainRequested.clear();
            held.clear();
            refused.clear();
        }
    }

    static Map<String, String> describe(TrainerSettings.Hyperparameters hp) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("learningRate", Double.toString(hp.learningRate()));
        map.put("warmupSteps", Integer.toString(hp.warmupSteps()));
        map.put("decay", hp.decay().name());
        map.put("batchSize", Integer.toString(hp.batchSize()));
        map.put("gradientAccumulation", Integer.toString(hp.gradientAccumulation()));
        map.put("epochs", Integer.toString(hp.epochs()));
        map.put("maxSteps", Integer.toString(hp.maxSteps()));
        map.put("weightDecay", Double.toString(hp.weightDecay()));
        map.put("dropout", Float.toString(hp.dropout()));
        map.put("loraRank", Integer.toString(hp.loraRank()));
        map.put("loraAlpha", Float.toString(hp.loraAlpha()));
        map.put("trainableTopLayers", Integer.toString(hp.trainableTopLayers()));
        map.put("maxSequenceLength", Integer.toString(hp.maxSequenceLength()));
        map.put("seed", Long.toString(hp.seed()));
        return map;
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
