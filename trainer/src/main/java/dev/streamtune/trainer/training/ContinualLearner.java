package dev.streamtune.trainer.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.streamtune.model.BaseModel;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.HeadGrowth;
import dev.streamtune.model.LabeledText;
import dev.streamtune.model.LoraConfig;
import dev.streamtune.model.LossTerm;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.nn.LoraTarget;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.catalogue.HeadCarryOver;
import dev.streamtune.trainer.strategy.ContinualStrategy;
import dev.streamtune.trainer.strategy.RoundContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's continual learning: trains a new adapter on new examples, starting from the approved one (its head
 * grown when the task's labels grew), with the task's {@link ContinualStrategy continual-learning strategies}
 * (replay, online EWC, ...) hooked around the training. Strategies consolidate only after a successful training,
 * so a failed one leaves their state as it was. The classifier records the labels of every batch it trains on (new
 * and replayed), so the adapter file says which labels it learned: the evaluator compares champion and candidate
 * only on those.
 */
public final class ContinualLearner {

    private static final Logger LOG = LoggerFactory.getLogger(ContinualLearner.class);

    private final BaseModel base;
    private final List<ContinualStrategy> strategies;

    /** @param strategies the task's strategies with their state, in the order their hooks run (empty: naive) */
    public ContinualLearner(BaseModel base, List<ContinualStrategy> strategies) {
        this.base = base;
        this.strategies = List.copyOf(strategies);
    }

    /**
     * The outcome of one round: the trained classifier (the caller saves and closes it), its numbers, its
     * calibration (the temperature already set on the classifier) and where its time went.
     *
     * @param augmented how many augmented copies of the training examples the plan held (0: no augmentation)
     */
    public record Round(TextClassifier classifier, WindowTrainer.Result result,
                        TrainerSettings.Hyperparameters hyperparameters, CandidateCalibration calibration,
                        StageTimes stages, int augmented) {
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
            Set<String> remembered = rememberedLabels();
            if (parent.learnedLabels().isEmpty() && !remembered.isEmpty()) {
                // A parent file from before adapters recorded their learned labels: the replay buffer holds
                // examples of every label this task was trained on, so it says what the parent learned.
                parent.assumeLearned(remembered.stream().filter(parent.labels()::contains).toList());
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
        LoraConfig lora = LoraConfig.defaults().withRank(hp.loraRank(), hp.loraAlpha())
                .withTargets(hp.loraTargets().stream().map(LoraTarget::named).collect(Collectors.toSet()))
                .withFirstLayer(hp.loraFirstLayer());
        return PeftChoice.apply(ClassifierConfig.of(labels), lora, hp.peftMethod(), hp.peftSize())
                .withTrainableTopLayers(hp.trainableTopLayers())
                .withDropout(hp.dropout(), hp.dropout(), hp.dropout())
                .withMaxSequenceLength(hp.maxSequenceLength())
                .withSeed(hp.seed());
    }

    /**
     * Trains the round's classifier on its new examples with the strategies' batch top-ups and loss terms, lets each
     * strategy consolidate (e.g. replay keeps the examples, EWC estimates the Fisher, weight aligning rescales the
     * head), then fits the classifier's temperature on the validation examples. The examples are put in a
     * {@linkplain TrainingPlan#canonicalOrder fixed order} first, so a round depends on its examples, not on their
     * arrival order.
     */
    public Round learn(RoundInputs inputs) {
        TextClassifier classifier = inputs.classifier();
        TrainerSettings.Hyperparameters hp = inputs.hyperparameters();
        List<CleanExample> train = TrainingPlan.canonicalOrder(inputs.train());
        List<CleanExample> validation = TrainingPlan.canonicalOrder(inputs.validation());
        // A parent's temperature fits the parent's weights: train and early-stop on plain logits, fit anew below.
        classifier.calibrate(1);
        RoundContext round = new RoundContext(classifier, train, validation, hp, inputs.label());
        // Each strategy's hooks before training (LwF's teacher answers, replay's top-up) are timed as before.<name>.
        StageTimes stages = new StageTimes();
        strategies.forEach(strategy -> stages.time(before(strategy), () -> strategy.beforeTraining(round)));
        List<TrainingPlan.TopUp> topUps = new ArrayList<>();
        strategies.forEach(strategy -> stages.time(before(strategy),
                () -> strategy.batchTopUp(round).ifPresent(topUps::add)));
        List<CleanExample> planned = new ArrayList<>(train);
        // Augmented copies go to the plan only: the strategies (replay's buffer, EWC's Fisher sample, LwF's
        // prefetch) see the round's real examples, and validation is never augmented.
        List<CleanExample> augmented = inputs.augmentation().active()
                ? stages.timed("augmentation", () -> inputs.augmentation().copiesOf(train)) : List.of();
        planned.addAll(augmented);
        strategies.forEach(strategy -> stages.time(before(strategy),
                () -> planned.addAll(strategy.pastExamples(round))));
        TrainingPlan plan = stages.timed("plan", () -> TrainingPlan.of(TrainingPlan.canonicalOrder(planned), topUps,
                hp.batchSize(), hp.epochs(), hp.maxSteps() * hp.gradientAccumulation(), hp.seed()));
        List<LabeledText> validationTexts = validation.stream().map(TrainingPlan::labeled).toList();
        List<LossTerm> terms = new ArrayList<>();
        WindowTrainer.Result result;
        try {
            strategies.forEach(strategy -> stages.time(before(strategy),
                    () -> terms.addAll(strategy.lossTerms(round))));
            LOG.info("{}: {} training examples (+{} augmented, +{} past ones) and {} validation examples, {} batches,"
                            + " strategies {}, top-ups {}, {} extra loss term(s)", inputs.label(), train.size(),
                    augmented.size(), planned.size() - train.size() - augmented.size(), validation.size(),
                    plan.size(), names(), topUps, terms.size());
            result = WindowTrainer.train(new TrainingRun(classifier, plan, validationTexts, hp, List.copyOf(terms),
                    inputs.resume(), inputs.listener(), inputs.label()));
            stages.addAll(result.stages());
        } finally {
            closeAll(terms);
        }
        strategies.forEach(strategy -> stages.time("after." + strategy.name(), () -> strategy.afterTraining(round)));
        // After the strategies: one may change the head (weight aligning), and the temperature must fit the final one.
        CandidateCalibration calibration = stages.timed("calibration",
                () -> CandidateCalibration.fit(classifier, validationTexts));
        LOG.info("{}: {}", inputs.label(), calibration.summary());
        return new Round(classifier, result, hp, calibration, stages, augmented.size());
    }

    /** Labels the strategies hold examples of (the replay buffer's): a round trains on them too. */
    public Set<String> rememberedLabels() {
        Set<String> labels = new TreeSet<>();
        strategies.forEach(strategy -> labels.addAll(strategy.rememberedLabels()));
        return labels;
    }

    /** Saves every strategy's state into the task's checkpoint directory. */
    public void save(Path taskDirectory) throws IOException {
        for (ContinualStrategy strategy : strategies) {
            strategy.save(taskDirectory);
        }
    }

    public List<ContinualStrategy> strategies() {
        return strategies;
    }

    /** The task's strategy of this type, if it is one of the configured ones. */
    public <T extends ContinualStrategy> Optional<T> strategy(Class<T> type) {
        return strategies.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    public List<String> names() {
        return strategies.stream().map(ContinualStrategy::name).toList();
    }

    private static String before(ContinualStrategy strategy) {
        return "before." + strategy.name();
    }

    private static void closeAll(List<LossTerm> terms) {
        for (LossTerm term : terms) {
            if (term instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("Could not close loss term {}: {}", term, e.getMessage());
                }
            }
        }
    }

}
