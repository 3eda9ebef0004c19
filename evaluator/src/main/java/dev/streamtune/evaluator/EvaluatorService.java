package dev.streamtune.evaluator;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.streamtune.contract.ConsumerLoop;
import dev.streamtune.contract.KafkaClients;
import dev.streamtune.contract.RecordDecodingException;
import dev.streamtune.contract.TopicProvisioner;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.evaluator.drift.DriftDetector;
import dev.streamtune.evaluator.drift.DriftMonitor;
import dev.streamtune.evaluator.gate.GateCheck;
import dev.streamtune.evaluator.gate.PromotionGate;
import dev.streamtune.evaluator.metrics.SliceScorer;
import dev.streamtune.evaluator.scoring.AdapterScorer;
import dev.streamtune.evaluator.scoring.AdapterScorerFactory;
import dev.streamtune.evaluator.scoring.CandidateEvaluator;
import dev.streamtune.evaluator.sets.EvaluationSets;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.EvaluationReport;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.RetrainRequest;
import dev.streamtune.schema.Verdict;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator's Kafka edge. One thread replays the input and output topics from the beginning into
 * {@link EvaluatorState}, then keeps consuming: it publishes drift reports (and retrain requests) for new windows,
 * judges each new candidate, and runs operator commands queued by {@link AdminController}. Decisions and the
 * deployments they cause are written in one transaction; the evaluator is the only writer of the deployments topic.
 */
@Context
public final class EvaluatorService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluatorService.class);
    private static final List<TopicSpec> INPUTS = List.of(Topics.CLEAN_EXAMPLES, Topics.CLOSED_WINDOWS,
            Topics.PREDICTION_LOG, Topics.ADAPTER_CANDIDATES, Topics.PROMOTION_DECISIONS, Topics.DRIFT_REPORTS,
            Topics.DEPLOYMENTS);

    private final EvaluatorSettings settings;
    private final AdapterScorerFactory scorers;
    private final MeterRegistry meters;
    private final Clock clock;
    private final EvaluatorState state;
    private final PromotionGate gate;
    private final ConcurrentLinkedQueue<Consumer<Operator>> commands = new ConcurrentLinkedQueue<>();
    private final ConsumerLoop loop;
    private volatile boolean caughtUp;

    public EvaluatorService(EvaluatorSettings settings, AdapterScorerFactory scorers, MeterRegistry meters) {
        this.settings = settings;
        this.scorers = scorers;
        this.meters = meters;
        this.clock = Clock.systemUTC();
        this.state = new EvaluatorState(
                new EvaluationSets(settings.retentionSize(), settings.canarySize(), settings.maxWindows()),
                new DriftMonitor(new DriftDetector(settings.drift().thresholds()), settings.driftReference(),
                        settings.drift().minWindowExamples()));
        this.gate = new PromotionGate(settings.gate().policy());
        this.loop = new ConsumerLoop("evaluator-loop", this::run, false);
        loop.start();
    }

    /** True once the replay of existing topics is done and new work is being handled. */
    public boolean caughtUp() {
        return caughtUp;
    }

    public boolean alive() {
        return loop.alive();
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

    private void run() {
        try {
            new TopicProvisioner(settings.bootstrapServers()).ensureAll();
            try (KafkaConsumer<byte[], byte[]> consumer = newConsumer();
                 KafkaProducer<byte[], byte[]> producer = newProducer()) {
                loop.polling(consumer);
                producer.initTransactions();
                List<TopicPartition> partitions = KafkaClients.partitions(consumer, INPUTS);
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> replayEnd = consumer.endOffsets(partitions);
                LOG.info("Replaying {} partitions to rebuild evaluator state", partitions.size());
                while (loop.running()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        fold(record);
                    }
                    if (!caughtUp && replayed(consumer, replayEnd)) {
                        caughtUp = true;
                        LOG.info("Evaluator state rebuilt; judging new candidates and windows");
                    }
                    if (caughtUp) {
                        publishDriftReports(producer);
                        judgeReadyCandidates(producer);
                        runCommands(producer);
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() woke us up
        } catch (RuntimeException e) {
            LOG.error("Evaluator loop stopped", e);
        }
    }

    private void fold(ConsumerRecord<byte[], byte[]> record) {
        try {
            state.apply(Topics.byName(record.topic()).decode(record.value()), clock.instant());
        } catch (RecordDecodingException e) {
            // Only our own services write these topics; an unreadable record is a bug elsewhere, not a reason to stop.
            LOG.warn("Skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    private static boolean replayed(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private void publishDriftReports(KafkaProducer<byte[], byte[]> producer) {
        for (DriftReport report : state.unpublishedDriftReports()) {
            inTransaction(producer, () -> {
                send(producer, Topics.DRIFT_REPORTS, report.getTask(), report);
                if (report.getRetrainTriggered()) {
                    send(producer, Topics.RETRAIN_REQUESTS, report.getTask(), RetrainRequest.newBuilder()
                            .setRequestId(UUID.randomUUID().toString()).setTask(report.getTask())
                            .setReason("drift above threshold: " + String.join(", ", report.getExceeded()))
                            .setDriftReportId(report.getReportId()).setRequestedAt(clock.instant()).build());
                }
            });
            state.apply(report, clock.instant());
            meters.counter("evaluator_drift_reports_total", "task", report.getTask(),
                    "retrain", Boolean.toString(report.getRetrainTriggered())).increment();
            LOG.info("Drift report for {}: {}{}", report.getWindowId(), report.getScores(),
                    report.getRetrainTriggered() ? " -> retraining requested (" + report.getExceeded() + ")" : "");
        }
    }

    private void judgeReadyCandidates(KafkaProducer<byte[], byte[]> producer) {
        Optional<AdapterCandidate> next;
        while ((next = state.nextCandidate(clock.instant(), Duration.ofSeconds(settings.candidateWaitSeconds())))
                .isPresent()) {
            AdapterCandidate candidate = next.get();
            if (!state.testExamplesComplete(candidate)) {
                LOG.warn("Judging {} on the test examples that arrived within {} s; some are missing",
                        candidate.getCandidateId(), settings.candidateWaitSeconds());
            }
            publish(producer, judge(candidate), true);
        }
    }

    private PromotionDecision judge(AdapterCandidate candidate) {
        String task = candidate.getTask();
        Instant now = clock.instant();
        Optional<Deployment> current = state.deployment(task);
        long started = System.nanoTime();
        EvaluationReport report;
        List<String> reasons = new ArrayList<>();
        boolean approved;
        try (AdapterScorer challenger = scorers.open(candidate.getArtifactUri(), candidate.getArtifactSha256());
             AdapterScorer champion = current.map(d -> scorers.open(d.getArtifactUri(), d.getArtifactSha256()))
                     .orElse(null)) {
            SliceScorer slices = new SliceScorer(settings.positiveLabel(task, state.labels(candidate)),
                    settings.minSliceSize());
            report = new CandidateEvaluator(state.sets(), slices).evaluate(candidate, challenger,
                    current.map(Deployment::getAdapterId).orElse(null), champion, now);
            List<GateCheck> checks = gate.checks(report);
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
        LOG.info("Candidate {} {} in {} ms:\n  {}", candidate.getCandidateId(), approved ? "APPROVED" : "REJECTED",
                (System.nanoTime() - started) / 1_000_000, String.join("\n  ", reasons));
        return decision(candidate, approved ? Verdict.APPROVED : Verdict.REJECTED, reasons, "gate", report);
    }

    private static PromotionDecision decision(AdapterCandidate candidate, Verdict verdict, List<String> reasons,
                                              String decidedBy, EvaluationReport report) {
        return PromotionDecision.newBuilder().setDecisionId(UUID.randomUUID().toString())
                .setCandidateId(candidate.getCandidateId()).setTask(candidate.getTask()).setVerdict(verdict)
                .setReasons(reasons).setDecidedBy(decidedBy).setDecidedAt(Instant.now()).setReport(report).build();
    }

    /** Writes a decision and, when it makes an adapter current, the deployment, atomically; folds both back in. */
    private Deployment publish(KafkaProducer<byte[], byte[]> producer, PromotionDecision decision, boolean automatic) {
        Deployment deployment = null;
        boolean pinned = state.deployment(decision.getTask()).map(Deployment::getPinned).orElse(false);
        if (decision.getVerdict() == Verdict.APPROVED && !(automatic && pinned)) {
            AdapterCandidate candidate = state.candidate(decision.getCandidateId()).orElseThrow();
            deployment = state.promotion(candidate, decision.getDecisionId(), clock.instant());
        } else if (decision.getVerdict() == Verdict.ROLLED_BACK) {
            deployment = state.rollback(decision.getTask(), decision.getDecisionId(), clock.instant());
        }
        Deployment toDeploy = deployment;
        inTransaction(producer, () -> {
            send(producer, Topics.PROMOTION_DECISIONS, decision.getTask(), decision);
            if (toDeploy != null) {
                send(producer, Topics.DEPLOYMENTS, toDeploy.getTask(), toDeploy);
            }
        });
        state.apply(decision, clock.instant());
        if (deployment != null) {
            state.apply(deployment, clock.instant());
            LOG.info("Deployed {} for task {} (was {})", deployment.getAdapterId(), deployment.getTask(),
                    deployment.getPreviousAdapterId());
        }
        meters.counter("evaluator_decisions_total", "task", decision.getTask(),
                "verdict", decision.getVerdict().name(), "by", automatic ? "gate" : "operator").increment();
        return deployment;
    }

    private void runCommands(KafkaProducer<byte[], byte[]> producer) {
        Operator operator = new Operator(producer);
        Consumer<Operator> command;
        while ((command = commands.poll()) != null) {
            command.accept(operator);
        }
    }

    /** What an operator may do; only ever called on the loop thread through {@link #submit}. */
    public final class Operator {

        private final KafkaProducer<byte[], byte[]> producer;

        private Operator(KafkaProducer<byte[], byte[]> producer) {
            this.producer = producer;
        }

        public PromotionDecision approve(String task, String candidateId, String operator) {
            AdapterCandidate candidate = candidateOf(task, candidateId);
            PromotionDecision decision = decision(candidate, Verdict.APPROVED,
                    List.of("OVERRIDE approved by " + operator), operator, null);
            publish(producer, decision, false);
            return decision;
        }

        public PromotionDecision reject(String task, String candidateId, String operator) {
            PromotionDecision decision = decision(candidateOf(task, candidateId), Verdict.REJECTED,
                    List.of("OVERRIDE rejected by " + operator), operator, null);
            publish(producer, decision, false);
            return decision;
        }

        public PromotionDecision rollback(String task, String operator) {
            Deployment current = state.deployment(task)
                    .orElseThrow(() -> new IllegalStateException("Nothing is deployed for task " + task));
            PromotionDecision decision = decision(candidateOf(task, current.getAdapterId()), Verdict.ROLLED_BACK,
                    List.of("OVERRIDE " + current.getAdapterId() + " rolled back by " + operator), operator, null);
            publish(producer, decision, false); // refuses, before sending anything, when there is no target
            return decision;
        }

        /** Pinned deployments stay put: approvals by the gate are recorded but not deployed until unpinned. */
        public Deployment pin(String task, boolean pinned) {
            Deployment current = state.deployment(task)
                    .orElseThrow(() -> new IllegalStateException("Nothing is deployed for task " + task));
            Deployment updated = Deployment.newBuilder(current).setPinned(pinned).setDeployedAt(clock.instant())
                    .build();
            inTransaction(producer, () -> send(producer, Topics.DEPLOYMENTS, task, updated));
            state.apply(updated, clock.instant());
            LOG.info("Deployment of {} for task {} {}", updated.getAdapterId(), task, pinned ? "pinned" : "unpinned");
            return updated;
        }

        public Optional<Deployment> deployment(String task) {
            return state.deployment(task);
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

    private void inTransaction(KafkaProducer<byte[], byte[]> producer, Runnable sends) {
        KafkaTransaction.run(producer, sends, loop::running);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, TopicSpec topic, String key,
                             SpecificRecord value) {
        producer.send(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8), topic.encode(value)));
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        return KafkaClients.assignedConsumer(settings.bootstrapServers(), "evaluator");
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        // A fixed id fences a zombie evaluator: only one instance may decide at a time.
        return KafkaClients.transactionalProducer(settings.bootstrapServers(), "evaluator", "streamtune-evaluator");
    }

    @PreDestroy
    @Override
    public void close() {
        loop.stop(Duration.ofSeconds(30));
    }
}
