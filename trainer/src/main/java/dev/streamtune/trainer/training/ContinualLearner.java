package dev.streamtune.trainer.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import dev.streamtune.model.BaseModel;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.HeadGrowth;
import dev.streamtune.model.LabeledText;
import dev.streamtune.model.LoraConfig;
import dev.streamtune.model.OptimizerState;
import dev.streamtune.model.QuadraticPenalty;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.TrainingOptions;
import dev.streamtune.model.TrainingSession;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.catalogue.HeadCarryOver;
import dev.streamtune.trainer.ewc.FisherDiagonal;
import dev.streamtune.trainer.replay.ReplayBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's continual learning: trains a new adapter on new examples, starting from the approved one (its head
 * grown when the task's labels grew), while experience replay and online EWC keep what earlier windows taught.
 * Owns the task's replay buffer and Fisher; both are updated only after a successful training, so a failed one
 * leaves them as they were. The classifier records the labels of every batch it trains on (new and replayed), so
 * the adapter file says which labels it learned: the evaluator compares champion and candidate only on those.
 */
public final class ContinualLearner {

    private static final Logger LOG = LoggerFactory.getLogger(ContinualLearner.class);

    private final BaseModel base;
    private final TrainerSettings settings;
    private final ReplayBuffer replay;
    private FisherDiagonal ewc;

    public ContinualLearner(BaseModel base, TrainerSettings settings, ReplayBuffer replay, FisherDiagonal ewc) {
        this.base = base;
        this.settings = settings;
        this.replay = replay;
        this.ewc = ewc;
    }

    /**
     * The outcome of one round: the trained classifier (the caller saves and closes it), its numbers, and its
     * calibration (the temperature already set on the classifier).
     */
    public record Round(TextClassifier classifier, WindowTrainer.Result result,
                        TrainerSettings.Hyperparameters hyperparameters, CandidateCalibration calibration) {
    }

    /**
     * Where a round starts: the classifier (the caller closes it) and, when the approved adapter's head was grown,
     * a line saying so for the candidate's lineage.
     */
    public record Start(TextClassifier classifier, Optional<String> growth) {
    }

    /** The approved adapter's labels do not fit the task's: no round may start from it (see {@link HeadCarryOver}). */
    public static final class HeadLayoutMismatch extends IOException {
        public HeadLayoutMismatch(String message) {
            super(message);
        }
    }

    /**
     * A classifier for the task's {@code labels} (head layout, in catalogue order): the approved adapter when there
     * is one, with its head grown when labels were appended since it was trained (old rows kept exactly, LoRA and
     * learned labels carried over; {@link TextClassifier#adapted}), else a fresh one on the base. Dropout is set
     * to {@code hp}'s either way, so the candidate's recorded hyperparameters are the ones used.
     *
     * @throws HeadLayoutMismatch when the approved adapter's labels are not a prefix of {@code labels}
     */
    public Start startingPoint(Path approvedAdapter, List<String> labels, TrainerSettings.Hyperparameters hp)
            throws IOException {
        if (approvedAdapter == null) {
            return new Start(TextClassifier.create(base, configFor(labels, hp)), Optional.empty());
        }
        TextClassifier parent = TextClassifier.load(base, approvedAdapter);
        try {
            HeadCarryOver decision = HeadCarryOver.decide(parent.labels(), labels);
            if (decision instanceof HeadCarryOver.Refuse refuse) {
                throw new HeadLayoutMismatch(refuse.reason());
            }
            if (parent.learnedLabels().isEmpty() && replay.size() > 0) {
                // A parent file from before adapters recorded their learned labels: the replay buffer holds
                // examples of every label this task was trained on, so it says what the parent learned.
                parent.assumeLearned(replay.sizeByLabel().keySet().stream().filter(parent.labels()::contains)
                        .toList());
            }
            ClassifierConfig target = parent.config().withLabels(labels)
                    .withDropout(hp.dropout(), hp.dropout(), hp.dropout());
            if (target.equals(parent.config())) {
                return new Start(parent, Optional.empty());
            }
            TextClassifier adapted = parent.adapted(target);
            Optional<String> growth = decision instanceof HeadCarryOver.Grow grow
                    ? Optional.of("head grown from " + parent.labels() + " by " + grow.added()
                            + " (old rows kept, new rows " + HeadGrowth.NewRows.DEFAULT + ")")
                    : Optional.empty();
            growth.ifPresent(line -> LOG.info("{}", line));
            parent.close();
            return new Start(adapted, growth);
        } catch (IOException | RuntimeException e) {
            parent.close();
            throw e;
        }
    }

    ClassifierConfig configFor(List<String> labels, TrainerSettings.Hyperparameters hp) {
        return ClassifierConfig.of(labels)
                .withLora(LoraConfig.defaults().withRank(hp.loraRank(), hp.loraAlpha()))
                .withTrainableTopLayers(hp.trainableTopLayers())
                .withDropout(hp.dropout(), hp.dropout(), hp.dropout())
                .withMaxSequenceLength(hp.maxSequenceLength())
                .withSeed(hp.seed());
    }

    /**
     * Trains {@code classifier} on the new examples, fits its temperature on the validation examples, then folds
     * the new examples into the replay buffer and the Fisher. The examples are put in a {@linkplain
     * TrainingPlan#canonicalOrder fixed order} first, so a round depends on its examples, not on their arrival order.
     *
     * @param skipBatches batches already trained before a restart (0 for a fresh round)
     * @param resumeState the optimizer state saved with those batches, or null
     */
    public Round learn(TextClassifier classifier, List<CleanExample> train, List<CleanExample> validation,
                       TrainerSettings.Hyperparameters hp, int skipBatches, OptimizerState resumeState,
                       WindowTrainer.StepListener listener, String label) {
        train = TrainingPlan.canonicalOrder(train);
        validation = TrainingPlan.canonicalOrder(validation);
        // A parent's temperature fits the parent's weights: train and early-stop on plain logits, fit anew below.
        classifier.calibrate(1);
        double replayRatio = TrainingPlan.replayRatio(settings.replay().ratio(),
                train.stream().map(CleanExample::getLabel).collect(java.util.stream.Collectors.toSet()),
                replay.sizeByLabel().keySet());
        TrainingPlan plan = TrainingPlan.of(train, settings.replay().enabled() ? replay : null,
                replayRatio, hp.batchSize(), hp.epochs(), hp.maxSteps() * hp.gradientAccumulation(),
                hp.seed());
        List<LabeledText> validationTexts = validation.stream().map(TrainingPlan::labeled).toList();
        // Labels appended since the Fisher was estimated: their new head rows start with zero importance.
        ewc = ewc.grownTo(classifier.snapshot());
        WindowTrainer.Result result;
        try (QuadraticPenalty penalty = ewcPenalty(classifier)) {
            LOG.info("{}: {} training and {} validation examples, {} batches, replay {} ({} in buffer, ratio {}),"
                            + " EWC {}", label, train.size(), validation.size(), plan.size(),
                    settings.replay().enabled() ? "on" : "off", replay.size(), replayRatio,
                    penalty == null ? "off" : "on");
            result = WindowTrainer.train(classifier, plan, validationTexts, hp, penalty, skipBatches, resumeState,
                    listener, label);
        }
        CandidateCalibration calibration = CandidateCalibration.fit(classifier, validationTexts);
        LOG.info("{}: {}", label, calibration.summary());
        consolidate(classifier, train, hp.seed());
        return new Round(classifier, result, hp, calibration);
    }

    /** The EWC term for this classifier, or null when EWC is off or nothing has been consolidated yet. */
    private QuadraticPenalty ewcPenalty(TextClassifier classifier) {
        if (!settings.ewc().enabled() || ewc.isEmpty()) {
            return null;
        }
        Map<String, float[]> fisher = new LinkedHashMap<>();
        Map<String, float[]> anchor = new LinkedHashMap<>();
        Map<String, float[]> current = classifier.snapshot();
        for (String name : classifier.trainableParameterNames()) {
            float[] f = ewc.fisher().get(name);
            if (f != null && f.length == current.get(name).length) {
                fisher.put(name, f);
                anchor.put(name, ewc.anchor().get(name));
            }
        }
        // Online EWC's penalty is lambda/2 * sum F (theta - theta*)^2.
        return fisher.isEmpty() ? null : new QuadraticPenalty(fisher, anchor, (float) (settings.ewc().lambda() / 2));
    }

    private void consolidate(TextClassifier classifier, List<CleanExample> train, long seed) {
        if (settings.ewc().enabled()) {
            List<CleanExample> sample = new ArrayList<>(train);
            java.util.Collections.shuffle(sample, new Random(seed));
            List<LabeledText> fisherSample = sample.subList(0, Math.min(sample.size(), settings.ewc().fisherSamples()))
                    .stream().map(TrainingPlan::labeled).toList();
            try (TrainingSession session = TrainingSession.start(classifier, TrainingOptions.defaults())) {
                int nonFinite = ewc.consolidate(session.meanSquaredGradients(fisherSample), classifier.snapshot(),
                        settings.ewc().decay());
                if (nonFinite > 0) {
                    LOG.warn("Fisher estimate had {} non-finite values; they count as zero importance", nonFinite);
                }
            }
        }
        if (settings.replay().enabled()) {
            train.forEach(replay::offer);
        }
    }

    public ReplayBuffer replay() {
        return replay;
    }

    public FisherDiagonal ewc() {
        return ewc;
    }
}
