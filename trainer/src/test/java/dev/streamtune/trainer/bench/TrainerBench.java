package dev.streamtune.trainer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.bench.ModelBench;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Split;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.training.ContinualLearner;
import dev.streamtune.trainer.training.RoundInputs;
import dev.streamtune.trainer.training.SyntheticTasks;
import dev.streamtune.trainer.training.TrainingPlan;
import dev.streamtune.trainer.training.ValidationScore;

/**
 * Continual-learning benchmark on the synthetic five-task sequence (each task inverts earlier tasks' cues): for
 * naive fine-tuning, replay, EWC, replay + EWC and joint training (all tasks' data at once, the upper bound), the
 * final average accuracy, backward transfer, forgetting, time per window and training throughput (examples/s,
 * and useful FLOP/s as a share of the fp32 matmul ceiling measured in the same run; the time includes the
 * validation passes, so the share is a lower bound on the training step's own).
 *
 * <p>Run with {@code bench/run.sh trainer} (add {@code --tasks N} for a shorter sequence).
 */
public final class TrainerBench {

    private static final int TRAIN_PER_TASK = 240;
    private static final int VALIDATION_PER_TASK = 40;
    private static final int TEST_PER_TASK = 100;

    private TrainerBench() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = args.length >= 2 && args[0].equals("--tasks") ? Integer.parseInt(args[1]) : SyntheticTasks.count();
        try (BaseModel base = BuiltInModels.miniLm()) {
            double ceiling = ModelBench.matmulCeiling(2);
            double flopsPerExample = usefulFlopsPerExample(base, tasks);
            System.out.printf(Locale.ROOT, "fp32 matmul ceiling %.0f GFLOP/s; useful training FLOPs %.2f GFLOP/example"
                    + "%n%n", ceiling, flopsPerExample / 1e9);
            System.out.printf(Locale.ROOT, "%-12s %8s %8s %10s %12s %12s %14s%n", "method", "avg acc", "BWT",
                    "forgetting", "s / window", "examples/s", "% of ceiling");
            for (String method : List.of("naive", "replay", "ewc", "replay+ewc")) {
                report(method, sequence(base, tasks, method.contains("replay"), method.contains("ewc")), ceiling,
                        flopsPerExample);
            }
            report("joint", joint(base, tasks), ceiling, flopsPerExample);
        }
    }

    /** accuracy[t][j]: accuracy on task j after training through task t; plus timing. */
    record Run(double[][] accuracy, double secondsPerWindow, double examplesPerSecond) {
    }

    static Run sequence(BaseModel base, int tasks, boolean replay, boolean ewc) throws Exception {
        TrainerSettings settings = SyntheticTasks.settings(replay, ewc);
        ContinualLearner learner = SyntheticTasks.learner(base, settings, 1);
        double[][] accuracy = new double[tasks][tasks];
        double seconds = 0;
        double examplesPerSecond = 0;
        try (TextClassifier classifier = learner.startingPoint(null, SyntheticTasks.LABELS, settings.hyperparameters()).classifier()) {
            for (int t = 0; t < tasks; t++) {
                long started = System.nanoTime();
                ContinualLearner.Round round = learner.learn(RoundInputs.fresh(classifier,
                        SyntheticTasks.examples(t, TRAIN_PER_TASK, 1, Split.TRAIN),
                        SyntheticTasks.examples(t, VALIDATION_PER_TASK, 2, Split.VALIDATION),
                        settings.hyperparameters(), "task " + t));
                seconds += (System.nanoTime() - started) / 1e9;
                examplesPerSecond += round.result().examplesPerSecond();
                for (int j = 0; j <= t; j++) {
                    accuracy[t][j] = accuracy(classifier, j);
                }
            }
        }
        return new Run(accuracy, seconds / tasks, examplesPerSecond / tasks);
    }

    /** All tasks' data in one training run: what a learner that could keep everything would reach. */
    static Run joint(BaseModel base, int tasks) throws Exception {
        TrainerSettings settings = SyntheticTasks.settings(false, false);
        TrainerSettings.Hyperparameters hp = settings.hyperparameters();
        ContinualLearner learner = SyntheticTasks.learner(base, settings, 1);
        List<CleanExample> train = new ArrayList<>();
        List<CleanExample> validation = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            train.addAll(SyntheticTasks.examples(t, TRAIN_PER_TASK, 1, Split.TRAIN));
            validation.addAll(SyntheticTasks.examples(t, VALIDATION_PER_TASK, 2, Split.VALIDATION));
        }
        double[][] accuracy = new double[tasks][tasks];
        long started = System.nanoTime();
        TrainerSettings.Hyperparameters jointHp = hp.searched(hp.learningRate(), hp.weightDecay(),
                hp.maxSteps() * tasks);
        try (TextClassifier classifier = learner.startingPoint(null, SyntheticTasks.LABELS, jointHp).classifier()) {
            ContinualLearner.Round round = learner.learn(RoundInputs.fresh(classifier, train, validation, jointHp, "joint"));
            for (int j = 0; j < tasks; j++) {
                accuracy[tasks - 1][j] = accuracy(classifier, j);
            }
            for (int t = 0; t < tasks - 1; t++) {
                accuracy[t] = accuracy[tasks - 1].clone(); // no sequence: nothing to forget
            }
            return new Run(accuracy, (System.nanoTime() - started) / 1e9 / tasks, round.result().examplesPerSecond());
        }
    }

    static double accuracy(TextClassifier classifier, int task) {
        return ValidationScore.of(classifier, SyntheticTasks.examples(task, TEST_PER_TASK, 3, Split.TEST).stream()
                .map(TrainingPlan::labeled).toList()).accuracy();
    }

    /**
     * Forward + activation-gradient matmul FLOPs per training example (the model bench's definition), at the padded
     * length the tokenizer gives these texts (longest of a batch rounded up to a multiple of 8).
     */
    static double usefulFlopsPerExample(BaseModel base, int tasks) {
        int batch = SyntheticTasks.settings(false, false).hyperparameters().batchSize();
        double total = 0;
        int batches = 0;
        for (int t = 0; t < tasks; t++) {
            List<CleanExample> examples = SyntheticTasks.examples(t, TRAIN_PER_TASK, 1, Split.TRAIN);
            for (int from = 0; from < examples.size(); from += batch) {
                int longest = examples.subList(from, Math.min(examples.size(), from + batch)).stream()
                        .mapToInt(e -> base.tokenCount(e.getText())).max().orElse(8);
                total += ModelBench.usefulFlops(base.config(), batch, (longest + 7) / 8 * 8) / batch;
                batches++;
            }
        }
        return total / batches;
    }

    private static void report(String method, Run run, double ceilingGflops, double flopsPerExample) {
        double[][] r = run.accuracy();
        int last = r.length - 1;
        double average = 0;
        double backwardTransfer = 0;
        double forgetting = 0;
        for (int j = 0; j <= last; j++) {
            average += r[last][j];
            if (j < last) {
                backwardTransfer += r[last][j] - r[j][j];
                double best = 0;
                for (int t = j; t < last; t++) {
                    best = Math.max(best, r[t][j]);
                }
                forgetting += best - r[last][j];
            }
        }
        int earlier = Math.max(1, last);
        double shareOfCeiling = run.examplesPerSecond() * flopsPerExample / 1e9 / ceilingGflops;
        System.out.printf(Locale.ROOT, "%-12s %8.3f %+8.3f %10.3f %12.1f %12.1f %13.1f%%%n", method,
                average / r.length, backwardTransfer / earlier, forgetting / earlier, run.secondsPerWindow(),
                run.examplesPerSecond(), 100 * shareOfCeiling);
    }
}
