package dev.streamtune.trainer.round;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import dev.streamtune.kafka.ConsumerLoop;
import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.model.AdapterLoadException;
import dev.streamtune.model.BaseModel;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.TrainingSession;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.augment.Synonyms;
import dev.streamtune.trainer.augment.TrainingAugmentation;
import dev.streamtune.trainer.augment.WordnetSynonyms;
import dev.streamtune.trainer.catalogue.TrainingOverrides;
import dev.streamtune.trainer.checkpoint.TrainerCheckpoint;
import dev.streamtune.trainer.strategy.StrategyRegistry;
import dev.streamtune.trainer.training.ContinualLearner;
import dev.streamtune.trainer.training.HyperparameterSearch;
import dev.streamtune.trainer.training.Resume;
import dev.streamtune.trainer.training.RoundInputs;
import dev.streamtune.trainer.training.StageTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one round of a task: the task's overrides over the configured hyperparameters, the starting point (the
 * approved adapter, its head grown, or fresh; or the interrupted round's checkpoint), the optional search, the
 * learning with a checkpoint every {@code checkpoint-every-steps} (and one when a stop is requested), then the
 * candidate ({@link CandidateBuilder}). The learner's state and the candidate are saved before it returns: a crash
 * after that publishes the saved candidate, never retrains. Keeps one {@link ContinualLearner} per task, built from
 * the checkpoint.
 */
public final class RoundRunner {

    private static final Logger LOG = LoggerFactory.getLogger(RoundRunner.class);

    private final BaseModel base;
    private final TrainerSettings settings;
    private final TrainerCheckpoint checkpoint;
    private final Path store;
    private final CandidateBuilder candidates;
    private final Map<String, ContinualLearner> learners = new HashMap<>();
    private Synonyms wordnet;
    private Path wordnetDirectory;

    /**
     * @param store where adapter files are written, and the only place parent adapters are read from
     */
    public RoundRunner(BaseModel base, TrainerSettings settings, TrainerCheckpoint checkpoint, Path store) {
        this.base = base;
        this.settings = settings;
        this.checkpoint = checkpoint;
        this.store = store;
        this.candidates = new CandidateBuilder(base.id(), base.checksum(), store);
    }

    /**
     * Trains {@code round} and saves its candidate as pending (publish it, then {@link TrainerCheckpoint#clearRound}).
     *
     * @param parent      the task's approved adapter, or null
     * @param keepRunning checked after every step: when false, the round checkpoints and throws
     *                    {@link ConsumerLoop.StopRequested}
     * @throws ContinualLearner.HeadLayoutMismatch when the approved adapter's labels do not fit the task's (nothing
     *                                             written)
     */
    public AdapterCandidate run(WorkQueue.DueRound round, Deployment parent, BooleanSupplier keepRunning)
            throws IOException {
        String task = round.task();
        String candidateId = round.candidateId();
        List<String> windowIds = round.windowIds();
        TaskDefinition definition = round.definition();
        ContinualLearner learner = learner(task);
        List<String> labels = definition.getLabels();
        TrainingOverrides.Outcome overrides = TrainingOverrides.apply(settings.hyperparameters(),
                settings.augmentation(), definition.getTrainingOverrides());
        overrides.ignored().forEach(problem -> LOG.warn("{}: task {} v{} training override {}", candidateId, task,
                definition.getVersion(), problem));
        TrainerSettings.Hyperparameters hp = overrides.hyperparameters();
        List<CleanExample> train = new ArrayList<>();
        List<CleanExample> validation = new ArrayList<>();
        round.windows().forEach(w -> {
            train.addAll(w.train());
            validation.addAll(w.validation());
        });
        Path parentFile = parentAdapter(parent);
        List<String> lineage = new ArrayList<>();
        lineage.add(parent == null ? "fresh adapter on " + base.id() : "from approved adapter " + parent.getAdapterId());
        lineage.add("windows " + String.join(", ", windowIds));
        lineage.add("task " + task + " v" + definition.getVersion() + ": labels " + labels);
        if (!overrides.applied().isEmpty()) {
            lineage.add("task overrides " + overrides.applied());
        }
        overrides.ignored().forEach(problem -> lineage.add("task override " + problem));
        TrainingAugmentation augmentation = augmentation(overrides.augmentation(), hp.seed(), candidateId, lineage);

        String optimizer = hp.optimizer();
        Optional<TrainerCheckpoint.Round> resumed = checkpoint.round(task)
                .filter(saved -> saved.candidateId().equals(candidateId))
                .filter(saved -> {
                    // The optimizer was changed (configuration or task override) since the checkpoint: its state
                    // cannot continue under another method, and retrying would fail the same way. Start afresh.
                    boolean same = saved.optimizer().method().equals(optimizer);
                    if (!same) {
                        LOG.warn("{}: checkpoint is of optimizer {}, the round now uses {}; restarting the round",
                                candidateId, saved.optimizer().method(), optimizer);
                        lineage.add("checkpoint of optimizer " + saved.optimizer().method() + " discarded (now "
                                + optimizer + ")");
                    }
                    return same;
                });
        StageTimes stages = new StageTimes();
        if (resumed.isEmpty() && settings.search().enabled()) {
            long searchStarted = System.nanoTime();
            HyperparameterSearch.Outcome search = new HyperparameterSearch(learner, settings.search())
                    .run(parentFile, labels, train, validation, hp, candidateId);
            stages.add("search", System.nanoTime() - searchStarted);
            hp = search.best();
            lineage.add("search " + search.summary());
            search.trials().forEach(trial -> lineage.add("search " + search.method() + " " + trial));
        }
        long started = System.nanoTime();
        // A resumed round keeps the head it started with (it follows the uninterrupted trajectory); labels appended
        // since are grown into the next round.
        try (TextClassifier classifier = startingClassifier(resumed, learner, parentFile, labels, hp, lineage,
                stages)) {
            Resume resume = resumed.map(saved -> new Resume(saved.batchesDone(), saved.optimizer()))
                    .orElse(Resume.NONE);
            if (resume.batchesDone() > 0) {
                LOG.info("{}: resuming after {} batches from the checkpoint", candidateId, resume.batchesDone());
                lineage.add("resumed after " + resume.batchesDone()
                        + " batches (weights and optimizer state from the checkpoint)");
            }
            ContinualLearner.Round learned = learner.learn(new RoundInputs(classifier, train, validation, hp, resume,
                    (step, batchesDone, session) -> {
                        if (!keepRunning.getAsBoolean()) {
                            saveProgress(task, candidateId, classifier, batchesDone, session);
                            throw new ConsumerLoop.StopRequested();
                        }
                        if (step % settings.checkpointEverySteps() == 0) {
                            saveProgress(task, candidateId, classifier, batchesDone, session);
                        }
                    }, candidateId, augmentation));
            stages.addAll(learned.stages());
            if (augmentation.active()) {
                LOG.info("{}: augmentation added {} examples to {} training examples", candidateId,
                        learned.augmented(), train.size());
                lineage.add("augmentation (EDA) " + augmentation.describe() + ": " + learned.augmented()
                        + " augmented examples added to " + train.size() + " training examples (plan only: not"
                        + " validation, not the replay buffer)");
            }
            double trainSeconds = (System.nanoTime() - started) / 1e9;
            long buildStarted = System.nanoTime();
            // The candidate's metrics carry the stages up to here; writing the adapter and state is in the log line.
            AdapterCandidate candidate = candidates.build(new CandidateBuilder.FinishedRound(candidateId, task,
                    windowIds, parent, classifier, learned.result(), learned.calibration(), learned.hyperparameters(),
                    strategySettings(learner), lineage, trainSeconds, stages));
            stages.add("adapter", System.nanoTime() - buildStarted);
            // Strategy state first, then the candidate: a crash in between publishes, never retrains.
            long stateStarted = System.nanoTime();
            learner.save(checkpoint.taskDirectory(task));
            checkpoint.savePending(task, candidate);
            stages.add("state", System.nanoTime() - stateStarted);
            LOG.info("{}: round took {}", candidateId, stages.summary());
            base.frozenLayerCacheStats().ifPresent(cache -> LOG.info("{}: frozen-layer cache {}", candidateId, cache));
            return candidate;
        }
    }

    /**
     * The round's augmentation: none when off; the EDA operations with WordNet's synonyms when one of them needs it.
     * The dictionary is read once per process. A task that turns augmentation on where the dictionary is missing
     * trains without it (warned, and said in the lineage) rather than not at all; a trainer configured with it on
     * checks the dictionary at start-up ({@link #checkAugmentation}).
     */
    private TrainingAugmentation augmentation(TrainerSettings.Augmentation configured, long seed, String candidateId,
                                              List<String> lineage) {
        if (!configured.enabled()) {
            return TrainingAugmentation.NONE;
        }
        Synonyms dictionary = Synonyms.NONE;
        if (configured.needsWordnet()) {
            try {
                dictionary = wordnet(Path.of(configured.wordnetDir()));
            } catch (IOException e) {
                LOG.warn("{}: augmentation off for this round: {}", candidateId, e.getMessage());
                lineage.add("augmentation off: " + e.getMessage());
                return TrainingAugmentation.NONE;
            }
        }
        return new TrainingAugmentation(dictionary, configured.copies(), configured.rates(), seed);
    }

    private synchronized Synonyms wordnet(Path directory) throws IOException {
        if (wordnet == null || !directory.equals(wordnetDirectory)) {
            long started = System.nanoTime();
            wordnet = WordnetSynonyms.load(directory);
            wordnetDirectory = directory;
            LOG.info("WordNet read from {} in {} ms", directory, (System.nanoTime() - started) / 1_000_000);
        }
        return wordnet;
    }

    /**
     * Fails at start-up when augmentation is configured on with an operation that needs WordNet and the dictionary
     * is not where {@code trainer.augmentation.wordnet-dir} says (the message says how to install it).
     */
    public static void checkAugmentation(TrainerSettings.Augmentation configured) {
        Path directory = Path.of(configured.wordnetDir());
        if (configured.enabled() && configured.copies() > 0 && configured.needsWordnet()
                && !(java.nio.file.Files.isRegularFile(directory.resolve("index.noun"))
                        && java.nio.file.Files.isRegularFile(directory.resolve("data.noun")))) {
            throw new IllegalStateException(WordnetSynonyms.missing(directory));
        }
    }

    private static Map<String, Map<String, String>> strategySettings(ContinualLearner learner) {
        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        learner.strategies().forEach(strategy -> settings.put(strategy.name(), strategy.settings()));
        return settings;
    }

    /** Labels the task's strategies remember examples of (the replay buffer's). */
    public Set<String> rememberedLabels(String task) throws IOException {
        return learner(task).rememberedLabels();
    }

    /** A failed round may have updated a learner's state in memory: the next round starts from the saved one. */
    public void forgetLearners() {
        learners.clear();
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

    /** The interrupted round's checkpoint, else the learner's starting point (timed as {@code start}). */
    private TextClassifier startingClassifier(Optional<TrainerCheckpoint.Round> resumed, ContinualLearner learner,
                                              Path parentFile, List<String> labels, TrainerSettings.Hyperparameters hp,
                                              List<String> lineage, StageTimes stages) throws IOException {
        long started = System.nanoTime();
        try {
            if (resumed.isPresent()) {
                return TextClassifier.load(base, resumed.get().adapter());
            }
            ContinualLearner.Start start = learner.startingPoint(parentFile, labels, hp);
            start.growth().ifPresent(lineage::add);
            return start.classifier();
        } finally {
            stages.add("start", System.nanoTime() - started);
        }
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
            learner = new ContinualLearner(base, StrategyRegistry.create(settings, checkpoint.taskDirectory(task)));
            learners.put(task, learner);
        }
        return learner;
    }
}
