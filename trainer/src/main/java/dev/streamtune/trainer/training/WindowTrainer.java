package dev.streamtune.trainer.training;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.streamtune.model.LabeledText;
import dev.streamtune.model.LossTerm;
import dev.streamtune.model.OptimizerState;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.TrainingOptions;
import dev.streamtune.model.TrainingSession;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.schedule.LearningRateSchedule;
import dev.streamtune.trainer.search.EarlyStopping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a classifier through a {@link TrainingPlan}: gradient accumulation, the configured optimizer (AdamW, SGD
 * with momentum or RMSprop) with the scheduled learning rate, optional {@linkplain GradualUnfreezing gradual
 * unfreezing} of the top layers, an optional extra loss term (EWC), validation every few steps with early stopping
 * (on a fixed {@linkplain ValidationSample sample} of the split), and the best weights restored at the end. Logs
 * progress (steps/s, loss, ETA) as it goes.
 */
public final class WindowTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(WindowTrainer.class);
    private static final long PROGRESS_LOG_NANOS = Duration.ofSeconds(10).toNanos();

    /** Called after every optimizer step, e.g. to checkpoint; {@code batchesDone} counts the plan's batches. */
    @FunctionalInterface
    public interface StepListener {
        void afterStep(int step, int batchesDone, TrainingSession session);
    }

    /**
     * @param validationLoss     on the validation sample early stopping looked at, with the weights kept
     * @param validationExamples that sample's size
     * @param stages wall time split into {@code steps} (forward, backward, optimizer), {@code validation} (passes
     *               over the validation sample, best weights kept and restored) and {@code checkpoints} (the
     *               listener)
     * @param unfreezing what gradual unfreezing did ({@link GradualUnfreezing#describe}); empty when off
     */
    public record Result(double validationLoss, double validationAccuracy, int validationExamples, double trainLoss,
                         int steps, int bestStep, boolean stoppedEarly, double examplesPerSecond, StageTimes stages,
                         String unfreezing) {

        /** The whole split's figures come from the calibration ({@link CandidateCalibration#metrics}). */
        public Map<String, Double> metrics() {
            return Map.of("validation.sample.loss", validationLoss, "validation.sample.accuracy", validationAccuracy,
                    "validation.sample.examples", (double) validationExamples, "train.loss", trainLoss,
                    "steps", (double) steps, "examples.per.second", examplesPerSecond);
        }
    }

    private WindowTrainer() {
    }

    /** Trains {@code run}'s classifier through its plan, skipping the batches its {@link Resume} says are done. */
    public static Result train(TrainingRun run) {
        TextClassifier classifier = run.classifier();
        TrainingPlan plan = run.plan();
        TrainerSettings.Hyperparameters hp = run.hyperparameters();
        List<LabeledText> validation = ValidationSample.of(run.validation(), hp.validationSample(), hp.seed());
        if (validation.size() < run.validation().size()) {
            LOG.info("{}: early stopping checks a sample of {} of the {} validation examples", run.label(),
                    validation.size(), run.validation().size());
        }
        int skipBatches = run.resume().batchesDone();
        OptimizerState resumeState = run.resume().optimizer();
        StepListener listener = run.listener();
        String label = run.label();
        int accumulation = Math.max(1, hp.gradientAccumulation());
        int totalSteps = Math.max(1, (plan.size() + accumulation - 1) / accumulation);
        LearningRateSchedule schedule = new LearningRateSchedule(hp.learningRate(), hp.warmupSteps(), totalSteps,
                hp.decay(), hp.floorFraction());
        EarlyStopping stopping = new EarlyStopping(hp.patience(), 1e-4);
        Map<String, float[]> best = null;
        int bestStep = 0;
        double lastValidationLoss = Double.NaN;
        double lastValidationAccuracy = Double.NaN;
        double lossSum = 0;
        int lossCount = 0;
        long examples = 0;
        long started = System.nanoTime();
        long lastLog = started;
        long validationNanos = 0;
        long listenerNanos = 0;
        int step = skipBatches / accumulation;
        boolean stoppedEarly = false;
        TrainingOptions options = TrainingOptions.defaults().withUpdateRule(hp.updateRule())
                .withWeightDecay((float) hp.weightDecay());
        // The classifier's own layout (a parent's), not the setting: they differ only for a task's old adapters.
        GradualUnfreezing unfreezing = new GradualUnfreezing(classifier.base().config().numLayers(),
                classifier.config().trainableTopLayers(), hp.unfreezeEverySteps());
        List<LossTerm> activeTerms = run.extraLosses();
        try (TrainingSession session = TrainingSession.start(classifier, options)) {
            if (resumeState != null) {
                session.restoreOptimizerState(resumeState);
            }
            for (int b = skipBatches; b < plan.size(); b++) {
                if (unfreezing.active() && (b == skipBatches || b % accumulation == 0)) {
                    hold(session, unfreezing.frozenLayers(step), label, step);
                }
                List<LabeledText> batch = plan.batches().get(b);
                lossSum += session.accumulate(batch, activeTerms);
                lossCount++;
                examples += batch.size();
                boolean stepNow = (b + 1) % accumulation == 0 || b == plan.size() - 1;
                if (!stepNow) {
                    continue;
                }
                float gradientNorm = session.step((float) schedule.at(step));
                if (!Float.isFinite(gradientNorm)) {
                    LOG.warn("{}: step {} skipped, gradient norm {} ({} skipped so far)", label, step + 1, gradientNorm,
                            session.skippedSteps());
                    if (!activeTerms.isEmpty()) {
                        // Defence against a diverging penalty (see trainer/README.md): finish the round without it.
                        LOG.error("{}: the extra loss terms gave a non-finite gradient; continuing without them",
                                label);
                        activeTerms = List.of();
                    }
                }
                step++;
                long listenerStarted = System.nanoTime();
                listener.afterStep(step, b + 1, session);
                listenerNanos += System.nanoTime() - listenerStarted;
                boolean last = b == plan.size() - 1;
                if (!validation.isEmpty() && (step % hp.evaluateEverySteps() == 0 || last)) {
                    long validationStarted = System.nanoTime();
                    ValidationScore score = ValidationScore.of(classifier, validation);
                    lastValidationLoss = score.loss();
                    lastValidationAccuracy = score.accuracy();
                    if (stopping.observe(score.loss())) {
                        best = classifier.snapshot();
                        bestStep = step;
                    }
                    validationNanos += System.nanoTime() - validationStarted;
                    if (stopping.shouldStop()) {
                        stoppedEarly = true;
                        LOG.info("{}: early stop at step {} (best validation loss {} at step {})", label, step,
                                fmt(stopping.bestLoss()), bestStep);
                        break;
                    }
                }
                long now = System.nanoTime();
                if (now - lastLog > PROGRESS_LOG_NANOS || last) {
                    double seconds = (now - started) / 1e9;
                    double stepsPerSecond = (step - skipBatches / accumulation) / seconds;
                    LOG.info("{}: step {}/{} loss {} lr {} | {} steps/s, {} examples/s, ETA {} s | validation loss {}"
                                    + " accuracy {}", label, step, totalSteps, fmt(lossSum / lossCount),
                            String.format(Locale.ROOT, "%.2e", schedule.at(step - 1)), fmt(stepsPerSecond),
                            fmt(examples / seconds), Math.round((totalSteps - step) / Math.max(1e-9, stepsPerSecond)),
                            fmt(lastValidationLoss), fmt(lastValidationAccuracy));
                    lastLog = now;
                }
            }
        }
        if (best != null && bestStep != step) {
            long restoreStarted = System.nanoTime();
            classifier.restore(best);
            ValidationScore restored = ValidationScore.of(classifier, validation);
            lastValidationLoss = restored.loss();
            lastValidationAccuracy = restored.accuracy();
            validationNanos += System.nanoTime() - restoreStarted;
        }
        long elapsedNanos = System.nanoTime() - started;
        StageTimes stages = new StageTimes();
        stages.add("steps", elapsedNanos - validationNanos - listenerNanos);
        stages.add("validation", validationNanos);
        stages.add("checkpoints", listenerNanos);
        double seconds = Math.max(1e-9, elapsedNanos / 1e9);
        return new Result(lastValidationLoss, lastValidationAccuracy, validation.size(),
                lossCount == 0 ? Double.NaN : lossSum / lossCount, step, best == null ? step : bestStep, stoppedEarly,
                examples / seconds, stages, unfreezing.describe(step));
    }

    /** Holds the copies of {@code layers} frozen (and releases the rest) when that differs from what is held now. */
    private static void hold(TrainingSession session, List<Integer> layers, String label, int step) {
        java.util.Set<String> names = new java.util.HashSet<>();
        layers.forEach(layer -> names.addAll(session.classifier().layerCopyParameterNames(layer)));
        if (!names.equals(session.frozen())) {
            if (step > 0 || !layers.isEmpty()) {
                LOG.info("{}: after step {}, top layers still frozen: {}", label, step, layers);
            }
            session.setFrozen(names);
        }
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
