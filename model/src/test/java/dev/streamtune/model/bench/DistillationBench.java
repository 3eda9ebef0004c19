package dev.streamtune.model.bench;

import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.DistillationLoss;
import dev.streamtune.model.LabeledText;
import dev.streamtune.model.LossTerm;
import dev.streamtune.model.TeacherLogits;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.TrainingOptions;
import dev.streamtune.model.TrainingSession;
import dev.streamtune.model.demo.SyntheticReviews;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Per-step cost of LwF distillation on the bundled MiniLM (not a test): a LoRA training step (accumulate + AdamW,
 * default dropout) with no distillation, with distillation served from a warm {@link TeacherLogits} cache (every
 * epoch after the first, and every replayed example), and with the teacher run for every batch (a cold cache: the
 * first epoch, or no cache at all). The three modes alternate within each round so that load from other processes
 * falls on all of them alike; figures are medians over rounds, with the share of CPU other processes used.
 *
 * <p>Arguments: {@code [batch=32] [rounds=10] [texts: short|long]}; long texts append filler sentences (~60 tokens).
 */
public final class DistillationBench {

    private DistillationBench() {
    }

    public static void main(String[] args) {
        int batchSize = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        boolean longTexts = args.length > 2 && args[2].equals("long");
        BaseModel base = BuiltInModels.miniLm();
        List<LabeledText> batch = new ArrayList<>();
        for (LabeledText e : SyntheticReviews.sample(batchSize, new Random(1), false)) {
            String text = longTexts ? e.text() + " It came in a blue box that was left at the door by a courier who"
                    + " did not ring, and I only found it the next morning when I went out to get the newspaper." : e.text();
            batch.add(new LabeledText(text, e.label()));
        }
        List<String> grown = List.of("negative", "positive", "neutral");
        try (TextClassifier teacher = TextClassifier.create(base, ClassifierConfig.of(SyntheticReviews.LABELS));
                TextClassifier student = teacher.adapted(teacher.config().withLabels(grown));
                TrainingSession session = TrainingSession.start(student, TrainingOptions.defaults())) {
            TeacherLogits warm = new TeacherLogits(teacher);
            warm.prefetch(batch.stream().map(LabeledText::text).toList());
            DistillationLoss cached = new DistillationLoss(warm, 2f, 1f);
            double[][] ms = new double[3][rounds];
            double foreign = 0;
            for (int round = -2; round < rounds; round++) { // two warm-up rounds
                CpuMeter meter = CpuMeter.start();
                double plain = time(session, batch, List.of());
                double hit = time(session, batch, List.of(cached));
                double miss = time(session, batch, List.of(new DistillationLoss(new TeacherLogits(teacher), 2f, 1f)));
                if (round >= 0) {
                    ms[0][round] = plain;
                    ms[1][round] = hit;
                    ms[2][round] = miss;
                    foreign += meter.foreignShare() / rounds;
                }
            }
            double base0 = median(ms[0]);
            System.out.printf(Locale.ROOT, "LoRA step, MiniLM, batch %d, %s texts, %d rounds, other processes %.0f%% of CPU%n",
                    batchSize, longTexts ? "long" : "short", rounds, 100 * foreign);
            System.out.printf(Locale.ROOT, "%-34s %9s %9s%n", "mode", "ms/step", "vs plain");
            String[] names = {"no distillation", "distillation, cached teacher", "distillation, teacher per batch"};
            for (int m = 0; m < 3; m++) {
                double med = median(ms[m]);
                System.out.printf(Locale.ROOT, "%-34s %9.1f %+8.1f%%%n", names[m], med, 100 * (med / base0 - 1));
            }
        }
    }

    private static double time(TrainingSession session, List<LabeledText> batch, List<? extends LossTerm> extra) {
        long t0 = System.nanoTime();
        session.accumulate(batch, extra);
        session.step(1e-4f);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
