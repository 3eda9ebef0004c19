package dev.streamtune.model.demo;

import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.LabeledText;
import dev.streamtune.model.Prediction;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.TrainingOptions;
import dev.streamtune.model.TrainingSession;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains a LoRA adapter on MiniLM for a few hundred steps on generated reviews and prints the falling loss and
 * the held-out accuracy before and after; then saves the adapter, reloads it and checks it predicts the same.
 * Run with {@code bench/run.sh model-demo [steps]}.
 */
public final class LoraDemo {

    /** Mean training loss over the first and last 10% of steps, held-out accuracy before and after. */
    public record Result(double firstLoss, double lastLoss, double accuracyBefore, double accuracyAfter) {}

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        try (BaseModel base = BuiltInModels.miniLm()) {
            Result r = run(base, steps, 16, System.out);
            System.out.printf(Locale.ROOT, "loss %.3f -> %.3f, held-out accuracy %.1f%% -> %.1f%%%n", r.firstLoss,
                    r.lastLoss, 100 * r.accuracyBefore, 100 * r.accuracyAfter);
        }
    }

    public static Result run(BaseModel base, int steps, int batchSize, PrintStream log) throws Exception {
        Random rnd = new Random(1);
        List<LabeledText> heldOut = SyntheticReviews.sample(200, new Random(2), true);
        ClassifierConfig config = ClassifierConfig.of(SyntheticReviews.LABELS).withMaxSequenceLength(32);
        try (TextClassifier classifier = TextClassifier.create(base, config)) {
            double before = accuracy(classifier, heldOut);
            log.printf(Locale.ROOT, "%s + LoRA r=%d on %s: %,d trainable of %,d weights; held-out accuracy %.1f%%%n",
                    base.id(), config.lora().rank(), config.lora().targets(), classifier.trainableParameterCount(),
                    base.parameterCount(), 100 * before);
            double first = 0;
            double last = 0;
            int window = Math.max(1, steps / 10);
            double running = 0;
            long started = System.nanoTime();
            try (TrainingSession session = TrainingSession.start(classifier, TrainingOptions.defaults())) {
                for (int step = 0; step < steps; step++) {
                    float loss = session.trainStep(SyntheticReviews.sample(batchSize, rnd, false),
                            learningRate(step, steps));
                    running += loss;
                    if (step < window) {
                        first += loss / window;
                    }
                    if (step >= steps - window) {
                        last += loss / window;
                    }
                    if ((step + 1) % window == 0) {
                        log.printf(Locale.ROOT, "step %4d  loss %.4f  (%.0f ms/step)%n", step + 1, running / window,
                                (System.nanoTime() - started) / 1e6 / (step + 1));
                        running = 0;
                    }
                }
            }
            double after = accuracy(classifier, heldOut);
            Path file = Files.createTempFile("demo", ".adapter");
            try {
                classifier.save(file, Map.of("demo", "synthetic reviews", "steps", Integer.toString(steps)));
                try (TextClassifier reloaded = TextClassifier.load(base, file)) {
                    if (!reloaded.predict(heldOut.get(0).text()).equals(classifier.predict(heldOut.get(0).text()))) {
                        throw new IllegalStateException("reloaded adapter predicts differently");
                    }
                }
                log.printf(Locale.ROOT, "adapter file: %,d bytes%n", Files.size(file));
            } finally {
                Files.deleteIfExists(file);
            }
            return new Result(first, last, before, after);
        }
    }

    /** Linear warmup over the first 10% of steps, then linear decay to zero. */
    static float learningRate(int step, int steps) {
        float peak = 2e-3f;
        int warmup = Math.max(1, steps / 10);
        return step < warmup ? peak * (step + 1) / warmup : peak * (steps - step) / (float) (steps - warmup + 1);
    }

    static double accuracy(TextClassifier classifier, List<LabeledText> examples) {
        List<Prediction> predictions = classifier.predict(examples.stream().map(LabeledText::text).toList());
        int correct = 0;
        for (int i = 0; i < examples.size(); i++) {
            if (predictions.get(i).label().equals(examples.get(i).label())) {
                correct++;
            }
        }
        return (double) correct / examples.size();
    }
}
