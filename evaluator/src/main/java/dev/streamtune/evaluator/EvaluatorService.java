package dev.streamtune.evaluator;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.streamtune.contract.RecordSigner;
import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.SigningConfig;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.evaluator.drift.CachedEmbedder;
import dev.streamtune.evaluator.drift.DriftDetector;
import dev.streamtune.evaluator.drift.DriftMonitor;
import dev.streamtune.evaluator.drift.DriftPolicy;
import dev.streamtune.evaluator.drift.RetrainPolicy;
import dev.streamtune.evaluator.gate.GateCheck;
import dev.streamtune.evaluator.gate.PromotionGate;
import dev.streamtune.evaluator.metrics.SliceScorer;
import dev.streamtune.evaluator.rollout.LiveEvidence;
import dev.streamtune.evaluator.rollout.RolloutJudge;
import dev.streamtune.evaluator.rollout.RolloutPolicy;
import dev.streamtune.evaluator.rollout.RolloutSteps;
import dev.streamtune.evaluator.scoring.AdapterScorer;
import dev.streamtune.evaluator.scoring.AdapterScorerFactory;
import dev.streamtune.evaluator.scoring.AnswerMemo;
import dev.streamtune.evaluator.scoring.CandidateEvaluator;
import dev.streamtune.evaluator.scoring.LearnedLabels;
import dev.streamtune.evaluator.sets.EvaluationSets;
import dev.streamtune.kafka.AccessControl;
import dev.streamtune.kafka.ConsumerLoop;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.kafka.TransactionalWriter;
import dev.streamtune.kafka.UnreadableRecords;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.DriftSignal;
import dev.streamtune.schema.EvaluationReport;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.RetrainRequest;
import dev.streamtune.schema.RolloutStage;
import dev.streamtune.schema.RolloutTrial;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.Verdict;
import dev.streamtune.service.KafkaConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator's Kafka edge. One thread replays the input and output topics from the beginning into
 * {@link EvaluatorState}, then keeps consuming: it publishes drift reports (and retrain requests) for new windows,
 * judges each new candidate, and runs operator commands queued by {@link AdminController} and the task catalogue's
 * writer ({@link dev.streamtune.evaluator.catalogue.TaskCatalogueWriter}). Decisions and the
 * deployments they cause are written in one transaction; the evaluator is the only writer of the deployments topic.
 * Survives its faults: an unreachable broker or a failed transaction is retried with backoff (the loop resumes
 * where it stopped, state kept), a fenced producer is replaced, and a record the codec refuses is skipped.
 * It signs what it writes and folds in only records signed by a trusted key of their author (candidates by the
 * trainer, decisions and deployments by itself); the rest are ignored and counted.
 */
@Context
@Requires(property = EvaluatorService.ENABLED, notEquals = "false")
public final class EvaluatorService implements AutoCloseable {

    /**
     * {@code evaluator.enabled: false} keeps the evaluator's services (this loop, the dead-letter monitor, the
     * catalogue writer) from starting in a JVM that has the evaluator on its classpath as a library: the benchmarks
     * use its drift tests beside a trainer context.
     */
    public static final String ENABLED = "evaluator.enabled";

    private static final Logger LOG = LoggerFactory.getLogger(EvaluatorService.class);
    /** Adapters whose answers are remembered: the champion and latest candidate of a few tasks. */
    private static final int MEMO_ADAPTERS = 8;
    /** Sentence embeddings remembered for drift: a few windows' and served samples' worth (1.5 KiB each). */
    private static final int EMBEDDINGS_REMEMBERED = 4096;
    private static final List<TopicSpec> INPUTS = List.of(Topics.CLEAN_EXAMPLES, Topics.CLOSED_WINDOWS,
            Topics.PREDICTION_LOG, Topics.FEEDBACK_EVENTS, Topics.ADAPTER_CANDIDATES, Topics.PROMOTION_DECISIONS,
            Topics.DRIFT_REPORTS, Topics.DEPLOYMENTS, Topics.TASKS);

    private final EvaluatorSettings settings;
    private final KafkaConnection kafka;
    private final AdapterScorerFactory scorers;
    private final MeterRegistry meters;
    private final Clock clock;
    private final EvaluatorState state;
    private final RetrainPolicy retrainPolicy;
    private final CachedEmbedder embeddings;
    private final RecordSigner signer;
    private final RecordVerifier verifier;
    private final ConcurrentLinkedQueue<Consumer<Operator>> commands = new ConcurrentLinkedQueue<>();
    private final ConsumerLoop loop;
    private final TransactionalWriter writer;
    private final UnreadableRecords unreadable = new UnreadableRecords("evaluator");
    /**
     * Answers of the adapters judged lately (a champion and the candidates it faced, for a few tasks): a champion is
     * not scored again for every candidate. Sized for every set an adapter is asked about, several times over.
     */
    private final AnswerMemo answers;
    /** Where the next attempt resumes reading, so nothing is folded twice after a fault. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    /** Each task's canary share now (0 in shadow or without a rollout), for Prometheus. */
    private final Map<String, Double> rolloutShares = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, RolloutJudge.Call> lastRolloutCalls = new java.util.concurrent.ConcurrentHashMap<>();
    private Map<TopicPartition, Long> replayEnd;
    private volatile boolean caughtUp;
    /**
     * The task catalogue as this evaluator wrote and read it: folded from the tasks topic on the loop thread, and
     * moved on by {@link Operator#define} the moment a definition is written, so the next command sees it at once.
     * Volatile: the API reads it from its own threads.
     */
    private volatile TaskCatalogue catalogue = TaskCatalogue.empty();

    public EvaluatorService(EvaluatorSettings settings, KafkaConfig kafka, AdapterScorerFactory scorers,
                            MeterRegistry meters,
                            @Value("${streamtune.signing.private-key:}") String privateKey,
                            @Value("${streamtune.signing.trusted-keys:}") String trustedKeys) {
        this.settings = settings;
        this.kafka = kafka.connection();
        this.signer = SigningConfig.signer(privateKey, SignerRole.EVALUATOR);
        this.verifier = new RecordVerifier(SigningConfig.trustedKeys(trustedKeys), (topic, reason) ->
                meters.counter(RecordVerifier.REJECTED_METER, "topic", topic, "reason", reason.tag()).increment());
        this.scorers = scorers;
        this.meters = meters;
        this.clock = Clock.systemUTC();
        this.embeddings = new CachedEmbedder(texts -> scorers.embed(texts, DriftPolicy.EMBEDDING_TOKENS),
                EMBEDDINGS_REMEMBERED);
        this.state = new EvaluatorState(
                new EvaluationSets(settings.retentionSize(), settings.canarySize(), settings.maxWindows()),
                new DriftMonitor(new DriftDetector(settings.drift().policy(), embeddings), settings.driftReference()),
                new LiveEvidence(settings.rollout().evidenceRetention()));
        this.retrainPolicy = settings.drift().retrainPolicy();
        this.answers = new AnswerMemo(MEMO_ADAPTERS, 4 * (settings.retentionSize() + settings.canarySize()));
        this.loop = ConsumerLoop.recovering("evaluator-loop", false, this::run);
        this.writer = new TransactionalWriter(this::newProducer, loop);
        loop.start();
    }

    /** True once the replay of existing topics is done and new work is being handled. */
    public boolean caughtUp() {
        return caughtUp;
    }

    public boolean alive() {
        return loop.alive();
    }

    /** The loop, for health: its survived faults and the one in progress. */
    ConsumerLoop loop() {
        return loop;
    }

    /** The task catalogue as of the last record read or definition written (readers may hold it). */
    public TaskCatalogue catalogue() {
        return catalogue;
    }

    /** Records skipped because the codec refused them, per topic. */
    public Map<String, Long> skippedRecords() {
        return unreadable.skipped();
    }

    /** Runs {@code command} on the loop thread, where the state lives. */
    public <T> CompletableFuture<T> submit(Function<Operator, T> command) {
        CompletableFuture<T> result = new CompletableFuture<>();
        commands.add(operator -> {
            try {
                result.complete(command.apply(operator));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** One attempt: connect, resume reading where the last one stopped, and work until stopped or a fault. */
    private void run() {
        new TopicProvisioner(kafka).ensureAll();
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
            loop.polling(consumer);
            List<TopicPartition> partitions = KafkaClients.partitions(consumer, INPUTS);
            consumer.assign(partitions);
            List<TopicPartition> fromStart = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                Long resume = positions.get(tp);
                if (resume == null) {
                    fromStart.add(tp);
                } else {
                    consumer.seek(tp, resume);
                }
            }
            consumer.seekToBeginning(fromStart);
            if (replayEnd == null) {
                replayEnd = consumer.endOffsets(partitions);
                LOG.info("Replaying {} partitions to rebuild evaluator state", partitions.size());
            }
            loop.progressed();
            while (loop.running()) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    fold(record);
                    positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
                if (!records.isEmpty()) {
                    loop.progressed();
                }
                if (!caughtUp && replayed(consumer, replayEnd)) {
                    caughtUp = true;
                    LOG.info("Evaluator state rebuilt; judging new candidates and windows");
                }
                if (caughtUp) {
                    publishDriftReports();
                    judgeReadyCandidates();
                    judgeRollouts();
                    runCommands();
                }
            }
        }
    }

    private void fold(ConsumerRecord<byte[], byte[]> record) {
        // Only our own services write these topics; an unreadable record is skipped (and counted), never a stop.
        unreadable.decode(record).ifPresent(value -> {
            String where = record.partition() + "@" + record.offset();
            if (value instanceof TaskDefinition definition) {
                // Our own definitions come back here too: an older or equal version leaves the catalogue as it is.
                if (verifier.admits(record.topic(), value, where)) {
                    catalogue = catalogue.apply(definition);
                }
            } else if (verifier.admits(record.topic(), value, where) && !state.apply(value, clock.instant())) {
                verifier.reject(record.topic(), value, where, RecordVerifier.Rejection.REUSED_ID);
            }
        });
    }

    private static boolean replayed(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private void publishDriftReports() {
        Duration patience = Duration.ofSeconds(settings.candidateWaitSeconds());
        for (String windowId : state.drift().ready(clock.instant(), patience, state::judgedWindow,
                settings.drift().waitForTraining())) {
            long started = System.nanoTime();
            long embeddingBefore = embeddings.embeddingNanos();
            DriftReport report;
            try {
                report = state.drift().report(windowId, clock.instant());
            } catch (RuntimeException failed) {
                // A report that cannot be computed (the model failed on a text, say) must not stop the loop, which
                // would retry it forever; the window goes unreported and the next one is compared as usual.
                LOG.error("Drift report for {} could not be computed; skipping it", windowId, failed);
                state.drift().abandon(windowId);
                meters.counter("evaluator_drift_failures_total").increment();
                continue;
            }
            List<DriftSignal> signals = retrainPolicy.signals(report);
            report.setRetrainTriggered(!signals.isEmpty());
            writer.inTransaction(producer -> {
                send(producer, Topics.DRIFT_REPORTS, report.getTask(), report);
                if (report.getRetrainTriggered()) {
                    send(producer, Topics.RETRAIN_REQUESTS, report.getTask(), RetrainRequest.newBuilder()
                            .setRequestId(UUID.randomUUID().toString()).setTask(report.getTask())
                            .setReason(RetrainPolicy.reason(signals))
                            .setDriftReportId(report.getReportId()).setRequestedAt(clock.instant())
                            .setSignals(signals).build());
                }
            });
            state.apply(report, clock.instant());
            long millis = (System.nanoTime() - started) / 1_000_000;
            long embeddingMillis = (embeddings.embeddingNanos() - embeddingBefore) / 1_000_000;
            meters.counter("evaluator_drift_reports_total", "task", report.getTask(),
                    "retrain", Boolean.toString(report.getRetrainTriggered())).increment();
            meters.timer("evaluator_drift_seconds", "task", report.getTask()).record(Duration.ofMillis(millis));
            LOG.info("Drift report for {} vs {} in {} ms ({} ms embedding new texts; false-alarm rate {}): fired {}{}",
                    report.getWindowId(), report.getReferenceWindowId(), millis, embeddingMillis,
                    report.getFalseAlarmRate(), report.getExceeded(),
                    report.getRetrainTriggered() ? " -> retraining requested" : "");
        }
    }

    private void judgeReadyCandidates() {
        Optional<AdapterCandidate> next;
        while ((next = state.nextCandidate(clock.instant(), Duration.ofSeconds(settings.candidateWaitSeconds())))
                .isPresent()) {
            AdapterCandidate candidate = next.get();
            if (!state.testExamplesComplete(candidate)) {
                LOG.warn("Judging {} on the test examples that arrived within {} s; some are missing",
                        candidate.getCandidateId(), settings.candidateWaitSeconds());
            }
            publish(judge(candidate), true);
        }
    }

    private PromotionDecision judge(AdapterCandidate candidate) {
        String task = candidate.getTask();
        Instant now = clock.instant();
        Optional<Deployment> current = state.deployment(task);
        long started = System.nanoTime();
        long computedBefore = answers.computed();
        long reusedBefore = answers.reused();
        EvaluationReport report;
        List<String> reasons = new ArrayList<>();
        boolean approved;
        try (AdapterScorer challenger = scorers.open(candidate.getArtifactUri(), candidate.getArtifactSha256());
             AdapterScorer champion = current.map(d -> scorers.open(d.getArtifactUri(), d.getArtifactSha256()))
                     .orElse(null)) {
            // The task's positive label and gate overrides as the catalogue has them now (null: accuracy only).
            Optional<TaskDefinition> definition = catalogue.find(task);
            SliceScorer slices = new SliceScorer(definition.map(TaskDefinition::getPositiveLabel).orElse(null),
                    settings.minSliceSize());
            PromotionGate gate = new PromotionGate(settings.gate().policy()
                    .withOverrides(definition.map(TaskDefinition::getGateOverrides).orElse(Map.of())));
            CandidateEvaluator evaluator = new CandidateEvaluator(state.sets(), slices, answers);
            report = evaluator.evaluate(candidate, challenger,
                    learnedLabels(challenger, candidate), current.map(Deployment::getAdapterId).orElse(null), champion,
                    champion == null ? null : learnedLabels(champion, state.candidate(current.get().getAdapterId())
                            .orElse(null)), now);
            List<GateCheck> checks = gate.checks(report,
                    evaluator.quantisationCost(candidate, challenger, scorers.engine().configName()));
            checks.forEach(check -> reasons.add(check.toString()));
            approved = PromotionGate.approves(checks);
        } catch (RuntimeException unusable) {
            // A broken artifact or a failed evaluation rejects this candidate; it must not stop the evaluator.
            LOG.warn("Candidate {} cannot be evaluated", candidate.getCandidateId(), unusable);
            return decision(candidate, Verdict.REJECTED, List.of("FAIL evaluation: " + unusable.getMessage()),
                    "gate", null);
        }
        if (approved && current.map(Deployment::getPinned).orElse(false)) {
            reasons.add("HOLD deployment of " + task + " is pinned by an operator; approved but not deployed");
        }
        long computed = answers.computed() - computedBefore;
        long reused = answers.reused() - reusedBefore;
        long elapsedNanos = System.nanoTime() - started;
        meters.timer("evaluator_judge_seconds", "task", task).record(elapsedNanos, TimeUnit.NANOSECONDS);
        meters.counter("evaluator_answers_total", "task", task, "source", "model").increment(computed);
        meters.counter("evaluator_answers_total", "task", task, "source", "remembered").increment(reused);
        LOG.info("Candidate {} {} in {} ms ({} answers from the models, {} remembered):\n  {}",
                candidate.getCandidateId(), approved ? "APPROVED" : "REJECTED", elapsedNanos / 1_000_000, computed,
                reused, String.join("\n  ", reasons));
        return decision(candidate, approved ? Verdict.APPROVED : Verdict.REJECTED, reasons, "gate", report);
    }

    /** What the adapter file says it learned, else the labels of the windows it was trained up to (see LearnedLabels). */
    private LearnedLabels learnedLabels(AdapterScorer adapter, AdapterCandidate trainedAs) {
        return LearnedLabels.of(adapter, trainedAs == null ? Set.of()
                : state.labelsOfWindowsUpTo(trainedAs.getTask(), trainedAs.getWindowIds()));
    }

    private static PromotionDecision decision(AdapterCandidate candidate, Verdict verdict, List<String> reasons,
                                              String decidedBy, EvaluationReport report) {
        // The artifact is recorded with the verdict: the id means this file from now on.
        return PromotionDecision.newBuilder().setDecisionId(UUID.randomUUID().toString())
                .setCandidateId(candidate.getCandidateId()).setTask(candidate.getTask()).setVerdict(verdict)
                .setReasons(reasons).setDecidedBy(decidedBy).setDecidedAt(Instant.now()).setReport(report)
                .setArtifactUri(candidate.getArtifactUri()).setArtifactSha256(candidate.getArtifactSha256()).build();
    }

    /**
     * Writes a decision and, when it changes what serves, the deployment, atomically; folds both back in. An
     * approval over a serving champion starts a rollout when the task's rollout policy stages anything; a
     * rollback during a rollout ends the rollout, otherwise it puts back the previous adapter.
     */
    private Deployment publish(PromotionDecision decision, boolean automatic) {
        Deployment deployment = null;
        Optional<Deployment> current = state.deployment(decision.getTask());
        boolean pinned = current.map(Deployment::getPinned).orElse(false);
        if (decision.getVerdict() == Verdict.APPROVED && !(automatic && pinned)) {
            AdapterCandidate candidate = state.candidate(decision.getCandidateId()).orElseThrow();
            RolloutPolicy rollout = rolloutPolicy(decision.getTask());
            if (current.isPresent() && rollout.stagesAnything()) {
                Deployment champion = current.get();
                List<String> reasons = new ArrayList<>(decision.getReasons());
                if (champion.getTrial() != null && automatic) {
                    // One rollout at a time: replacing it would restart its evidence, and with windows closing
                    // faster than a rollout completes no candidate would ever reach 100%.
                    reasons.add(EvaluatorState.ROLLOUT_WAITS + " for the rollout of "
                            + champion.getTrial().getCandidateId() + " to end");
                } else {
                    if (champion.getTrial() != null) {
                        // An operator's approval acts now: it replaces the running rollout (whose candidate may be
                        // approved again later), where the gate's would wait.
                        reasons.add("ROLLOUT replaces the rollout of " + champion.getTrial().getCandidateId()
                                + " (" + describe(champion.getTrial()) + ")");
                    }
                    deployment = RolloutSteps.start(champion, candidate, decision.getDecisionId(), rollout,
                            clock.instant());
                    reasons.add("ROLLOUT " + describe(deployment.getTrial()) + " beside " + champion.getAdapterId());
                }
                decision.setReasons(reasons);
            } else {
                deployment = state.promotion(candidate, decision.getDecisionId(), clock.instant());
            }
        } else if (decision.getVerdict() == Verdict.ROLLED_BACK) {
            deployment = current.filter(d -> d.getTrial() != null)
                    .map(d -> RolloutSteps.abort(d, decision.getDecisionId(), clock.instant()))
                    .orElseGet(() -> state.rollback(decision.getTask(), decision.getDecisionId(), clock.instant()));
        } else if (decision.getVerdict() == Verdict.ADVANCED) {
            Deployment trialOf = current.orElseThrow();
            AdapterCandidate candidate = state.candidate(decision.getCandidateId()).orElseThrow();
            deployment = automatic // the policy's step; an operator's promote goes to 100% at once
                    ? RolloutSteps.next(trialOf, candidate, rolloutPolicy(decision.getTask()),
                    decision.getDecisionId(), clock.instant())
                    : RolloutSteps.promote(trialOf, candidate, decision.getDecisionId(), clock.instant());
        }
        Deployment toDeploy = deployment;
        writer.inTransaction(producer -> {
            send(producer, Topics.PROMOTION_DECISIONS, decision.getTask(), decision);
            if (toDeploy != null) {
                send(producer, Topics.DEPLOYMENTS, toDeploy.getTask(), toDeploy);
            }
        });
        state.apply(decision, clock.instant());
        if (deployment != null) {
            state.apply(deployment, clock.instant());
            if (deployment.getTrial() != null) {
                LOG.info("Task {}: {} beside {}", deployment.getTask(), describe(deployment.getTrial()),
                        deployment.getAdapterId());
            } else {
                LOG.info("Deployed {} for task {} (was {})", deployment.getAdapterId(), deployment.getTask(),
                        deployment.getPreviousAdapterId());
            }
        }
        meters.counter("evaluator_decisions_total", "task", decision.getTask(),
                "verdict", decision.getVerdict().name(), "by", automatic ? "gate" : "operator").increment();
        return deployment;
    }

    /** The task's rollout policy: the configured one with the task's overrides from the catalogue. */
    private RolloutPolicy rolloutPolicy(String task) {
        return settings.rollout().policy().withOverrides(catalogue.find(task)
                .map(TaskDefinition::getGateOverrides).orElse(Map.of()));
    }

    private static String describe(RolloutTrial trial) {
        return trial.getStage() == RolloutStage.SHADOW
                ? String.format(java.util.Locale.ROOT, "shadow of %s on %.0f%% of requests", trial.getCandidateId(),
                100 * trial.getShare())
                : String.format(java.util.Locale.ROOT, "canary of %s on %.0f%% of request keys (step %d of %d)",
                trial.getCandidateId(), 100 * trial.getShare(), trial.getStep(), trial.getSteps());
    }

    /**
     * Judges every running rollout on the live evidence so far: advances it, rolls it back, or records once per
     * step that it holds. A pinned deployment pauses its rollout.
     */
    private void judgeRollouts() {
        rolloutShares.replaceAll((task, share) -> 0.0);
        for (Deployment deployment : state.trials()) {
            if (deployment.getPinned()) {
                continue;
            }
            RolloutTrial trial = deployment.getTrial();
            Optional<AdapterCandidate> candidate = state.candidate(trial.getCandidateId());
            if (candidate.isEmpty()) {
                continue; // its record has not been read (yet): nothing to promote to
            }
            Instant now = clock.instant();
            RolloutJudge.Call call = new RolloutJudge(rolloutPolicy(deployment.getTask()))
                    .judge(trial, deployment.getAdapterId(), state.live(), now);
            String task = deployment.getTask();
            if (rolloutShares.put(task, trial.getStage() == RolloutStage.CANARY ? trial.getShare() : 0.0) == null) {
                meters.gauge("evaluator_rollout_share", List.of(io.micrometer.core.instrument.Tag.of("task", task)),
                        rolloutShares, shares -> shares.getOrDefault(task, 0.0));
            }
            switch (call.action()) {
                case ADVANCE -> publish(decision(candidate.get(), Verdict.ADVANCED, List.of(call.reason()), "gate",
                        null), true);
                case ROLL_BACK -> publish(decision(candidate.get(), Verdict.ROLLED_BACK,
                        List.of("ROLLBACK " + call.reason()), "gate", null), true);
                case HOLD -> {
                    String heldId = UUID.nameUUIDFromBytes((trial.getApprovalDecisionId() + "/" + trial.getStage()
                            + "/" + trial.getStep() + "/held").getBytes(StandardCharsets.UTF_8)).toString();
                    // not while the step is younger than its minimum: that hold says nothing yet
                    boolean stepLongEnough = !Duration.between(trial.getStepStartedAt(), now)
                            .minus(settings.rollout().minStepDuration()).isNegative();
                    if (stepLongEnough && !state.held(heldId)) {
                        PromotionDecision held = decision(candidate.get(), Verdict.HELD,
                                List.of("HOLD " + call.reason()), "gate", null);
                        held.setDecisionId(heldId);
                        publish(held, true);
                    }
                }
            }
            lastRolloutCalls.put(deployment.getTask(), call);
        }
        startWaitingRollouts();
    }

    /** Starts the rollout of each task's waiting approval once no rollout runs (and the task is not pinned). */
    private void startWaitingRollouts() {
        for (PromotionDecision approval : state.waitingApprovals()) {
            String task = approval.getTask();
            Optional<Deployment> current = state.deployment(task);
            Optional<AdapterCandidate> candidate = state.candidate(approval.getCandidateId());
            if (current.isEmpty() || current.get().getTrial() != null || current.get().getPinned()
                    || candidate.isEmpty()) {
                continue;
            }
            if (current.get().getAdapterId().equals(approval.getCandidateId())) {
                continue; // already the champion (promoted by an operator meanwhile)
            }
            Deployment started = RolloutSteps.start(current.get(), candidate.get(), approval.getDecisionId(),
                    rolloutPolicy(task), clock.instant());
            writer.inTransaction(producer -> send(producer, Topics.DEPLOYMENTS, task, started));
            state.apply(started, clock.instant());
            LOG.info("Task {}: the waiting approval of {} starts: {} beside {}", task, approval.getCandidateId(),
                    describe(started.getTrial()), started.getAdapterId());
        }
    }

    private void runCommands() {
        Operator operator = new Operator();
        Consumer<Operator> command;
        while ((command = commands.poll()) != null) {
            command.accept(operator);
        }
    }

    /** A running rollout as the admin API shows it. */
    public record RolloutStatus(Deployment deployment, LiveEvidence.Arm candidate, LiveEvidence.Arm champion,
                                LiveEvidence.Shadow shadow, RolloutJudge.Call lastCall) {
    }

    /** What an operator may do; only ever called on the loop thread through {@link #submit}. */
    public final class Operator {

        private Operator() {
        }

        public PromotionDecision approve(String task, String candidateId, String operator) {
            AdapterCandidate candidate = candidateOf(task, candidateId);
            PromotionDecision decision = decision(candidate, Verdict.APPROVED,
                    List.of("OVERRIDE approved by " + operator), operator, null);
            publish(decision, false);
            return decision;
        }

        public PromotionDecision reject(String task, String candidateId, String operator) {
            PromotionDecision decision = decision(candidateOf(task, candidateId), Verdict.REJECTED,
                    List.of("OVERRIDE rejected by " + operator), operator, null);
            publish(decision, false);
            return decision;
        }

        public PromotionDecision rollback(String task, String operator) {
            Deployment current = state.deployment(task)
                    .orElseThrow(() -> new IllegalStateException("Nothing is deployed for task " + task));
            String rolledBack = current.getTrial() != null ? current.getTrial().getCandidateId()
                    : current.getAdapterId();
            PromotionDecision decision = decision(candidateOf(task, rolledBack), Verdict.ROLLED_BACK,
                    List.of("OVERRIDE " + rolledBack + " rolled back by " + operator
                            + (current.getTrial() != null ? " during its rollout" : "")), operator, null);
            publish(decision, false); // refuses, before sending anything, when there is no target
            return decision;
        }

        /** The task's rollout: its trial, the live evidence of both models in this step, the latest judgement. */
        public Optional<RolloutStatus> rollout(String task) {
            return state.deployment(task).filter(d -> d.getTrial() != null).map(d -> {
                RolloutTrial trial = d.getTrial();
                return new RolloutStatus(d, state.live().arm(trial.getCandidateId(), trial.getStepStartedAt()),
                        state.live().arm(d.getAdapterId(), trial.getStepStartedAt()),
                        state.live().shadow(trial.getCandidateId(), trial.getStepStartedAt()),
                        lastRolloutCalls.get(task));
            });
        }

        /** Ends the task's rollout now with its candidate answering everything. */
        public PromotionDecision promote(String task, String operator) {
            Deployment current = state.deployment(task).filter(d -> d.getTrial() != null)
                    .orElseThrow(() -> new IllegalStateException("Task " + task + " has no rollout running"));
            PromotionDecision decision = decision(candidateOf(task, current.getTrial().getCandidateId()),
                    Verdict.ADVANCED, List.of("OVERRIDE promoted to 100% by " + operator + " at "
                            + describe(current.getTrial())), operator, null);
            publish(decision, false);
            return decision;
        }

        /** Pinned deployments stay put: approvals by the gate are recorded but not deployed until unpinned. */
        public Deployment pin(String task, boolean pinned) {
            Deployment current = state.deployment(task)
                    .orElseThrow(() -> new IllegalStateException("Nothing is deployed for task " + task));
            Deployment updated = Deployment.newBuilder(current).setPinned(pinned).setDeployedAt(clock.instant())
                    .build();
            writer.inTransaction(producer -> send(producer, Topics.DEPLOYMENTS, task, updated));
            state.apply(updated, clock.instant());
            LOG.info("Deployment of {} for task {} {}", updated.getAdapterId(), task, pinned ? "pinned" : "unpinned");
            return updated;
        }

        public Optional<Deployment> deployment(String task) {
            return state.deployment(task);
        }

        /** The catalogue with every definition written so far, this evaluator's own included. */
        public TaskCatalogue catalogue() {
            return catalogue;
        }

        /**
         * Signs and writes {@code next} to the tasks topic in a transaction and applies it to the catalogue at once.
         *
         * @throws IllegalStateException when {@code next} is not a valid successor of the definition held (nothing
         *                               is written)
         */
        public TaskDefinition define(TaskDefinition next) {
            TaskDefinition signed = signer.sign(next);
            TaskCatalogue after = catalogue.apply(signed);
            if (after == catalogue) {
                throw new IllegalStateException(TaskCatalogue.successorProblem(
                        catalogue.find(next.getTask()).orElse(null), next).orElse("not a successor"));
            }
            writer.inTransaction(producer -> send(producer, Topics.TASKS, next.getTask(), signed));
            catalogue = after;
            LOG.info("Task {} v{} by {}: {}", signed.getTask(), signed.getVersion(), signed.getChangedBy(),
                    signed.getChange());
            return signed;
        }

        private AdapterCandidate candidateOf(String task, String candidateId) {
            AdapterCandidate candidate = state.candidate(candidateId)
                    .orElseThrow(() -> new IllegalArgumentException("No candidate " + candidateId));
            if (!candidate.getTask().equals(task)) {
                throw new IllegalArgumentException("Candidate " + candidateId + " belongs to task "
                        + candidate.getTask() + ", not " + task);
            }
            return candidate;
        }
    }

    /** Sends {@code value}, signed when it is a decision or deployment (task definitions come signed). */
    private void send(KafkaProducer<byte[], byte[]> producer, TopicSpec topic, String key, SpecificRecord value) {
        SpecificRecord signed = value instanceof TaskDefinition
                || SignerRole.requiredFor(value.getClass()).isEmpty() ? value : signer.sign(value);
        producer.send(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8), topic.encode(signed)));
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        return KafkaClients.assignedConsumer(kafka, "evaluator");
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        // A fixed id fences a zombie evaluator: only one instance may decide at a time.
        return KafkaClients.transactionalProducer(kafka, "evaluator", AccessControl.EVALUATOR_TRANSACTIONAL_ID);
    }

    @PreDestroy
    @Override
    public void close() {
        loop.stop(Duration.ofSeconds(30));
        writer.close();
    }
}
