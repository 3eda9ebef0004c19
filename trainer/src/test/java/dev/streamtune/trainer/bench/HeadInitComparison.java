package dev.streamtune.trainer.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.HeadGrowth;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Split;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.checkpoint.TrainerCheckpoint;
import dev.streamtune.trainer.strategy.StrategyRegistry;
import dev.streamtune.trainer.training.ContinualLearner;
import dev.streamtune.trainer.training.RoundInputs;
import dev.streamtune.trainer.training.SyntheticIntents;
import dev.streamtune.trainer.training.SyntheticTasks;

/**
 * Which initialisation of a grown head's new rows ({@link HeadGrowth.NewRows}) keeps the old labels best and learns
 * the new ones fastest, on the real MiniLM base with the trainer's own learner (replay + EWC): a parent adapter is
 * trained on three labels; then for each rule its head is grown by two labels and trained on a window of only the
 * new labels for a few steps and for more, and old-label and new-label test accuracy are measured (held-out cue
 * words). Run the main method on the trainer's test classpath (see model/README.md), optionally naming the rules.
 */
public final class HeadInitComparison {

    private static final List<String> OLD = SyntheticIntents.LABELS.subList(0, 3);
    private static final List<String> ADDED = SyntheticIntents.LABELS.subList(3, 5);
    private static final List<String> GROWN = SyntheticIntents.LABELS.subList(0, 5);
    private static final int[] STEPS = {4, 12};

    private HeadInitComparison() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("head-init");
        TrainerSettings settings = SyntheticTasks.settings(true, true);
        TrainerSettings.Hyperparameters hp = settings.hyperparameters();
        List<String> rows = new ArrayList<>();
        try (BaseModel base = BuiltInModels.miniLm()) {
            TrainerCheckpoint state = new TrainerCheckpoint(dir.resolve("trainer"));
            Path parentFile = dir.resolve("parent.adapter");
            ContinualLearner first = learner(base, settings, state);
            try (TextClassifier parent = first.startingPoint(null, OLD, hp).classifier()) {
                first.learn(RoundInputs.fresh(parent, window(OLD, 90, 1, Split.TRAIN), window(OLD, 15, 2, Split.VALIDATION), hp, "parent"));
                parent.save(parentFile, Map.of());
                first.save(state.taskDirectory("t"));
                rows.add(String.format(Locale.ROOT, "parent (3 labels): old-label accuracy %.3f",
                        SyntheticIntents.accuracy(parent, OLD, 90, 9)));
            }
            rows.add("rule           steps  old-label acc  new-label acc");
            List<HeadGrowth.NewRows> rules = args.length == 0 ? List.of(HeadGrowth.NewRows.values())
                    : java.util.Arrays.stream(args).map(HeadGrowth.NewRows::valueOf).toList();
            for (HeadGrowth.NewRows rule : rules) {
                try (TextClassifier parent = TextClassifier.load(base, parentFile);
                     TextClassifier grown = parent.adapted(parent.config().withLabels(GROWN), rule)) {
                    rows.add(row(rule, 0, grown));
                }
                for (int steps : STEPS) {
                    ContinualLearner learner = learner(base, settings, state);
                    TrainerSettings.Hyperparameters capped = hp.searched(hp.learningRate(), hp.weightDecay(), steps);
                    try (TextClassifier parent = TextClassifier.load(base, parentFile);
                         TextClassifier grown = parent.adapted(parent.config().withLabels(GROWN), rule)) {
                        learner.learn(RoundInputs.fresh(grown, window(ADDED, 60, 4, Split.TRAIN), window(ADDED, 10, 5, Split.VALIDATION),
                                capped, rule + "/" + steps));
                        rows.add(row(rule, steps, grown));
                    }
                }
            }
        }
        rows.forEach(System.out::println);
    }

    private static String row(HeadGrowth.NewRows rule, int steps, TextClassifier classifier) {
        return String.format(Locale.ROOT, "%-14s %5d  %13.3f  %13.3f", rule, steps,
                SyntheticIntents.accuracy(classifier, OLD, 90, 9), SyntheticIntents.accuracy(classifier, ADDED, 60, 9));
    }

    private static ContinualLearner learner(BaseModel base, TrainerSettings settings, TrainerCheckpoint state)
            throws Exception {
        return new ContinualLearner(base, StrategyRegistry.create(settings, state.taskDirectory("t")));
    }

    private static List<CleanExample> window(List<String> labels, int n, long seed, Split split) {
        return SyntheticIntents.examples("t", "t-" + seed, labels, n, seed, split);
    }
}
