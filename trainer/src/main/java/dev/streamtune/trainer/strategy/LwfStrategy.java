package dev.streamtune.trainer.strategy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.djl.ndarray.NDArray;
import dev.streamtune.model.BatchLossTerm;
import dev.streamtune.model.DistillationLoss;
import dev.streamtune.model.LabeledText;
import dev.streamtune.model.LossTerm;
import dev.streamtune.model.TeacherLogits;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.trainer.TrainerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learning without Forgetting: the round's classifier, as it starts (the approved adapter, its head grown if labels
 * were appended), is frozen as a teacher, and every batch's loss gets the distillation term of
 * {@link DistillationLoss} on the labels the teacher had learned, so the adapter keeps answering old inputs the way
 * it did while it learns the new ones. It needs no stored examples: the new window's texts (and any replayed ones)
 * carry the old knowledge. A fresh adapter (nothing learned yet) has nothing to distil: no term.
 *
 * <p>Heads grow by appending, so the teacher's logits are compared with the student's first {@code k}; {@code k} is
 * the longest prefix of the head whose labels the teacher had learned (with labels declared ahead of their
 * examples, rows not trained yet carry no knowledge). No state outside a round: the teacher is the round's start.
 * Cost: one inference pass per distinct text of the round (cached across epochs) and a second copy of the adapter's
 * trainable weights while it trains.
 */
public final class LwfStrategy implements ContinualStrategy {

    public static final String NAME = "lwf";
    private static final Logger LOG = LoggerFactory.getLogger(LwfStrategy.class);

    private final TrainerSettings.Lwf settings;

    public LwfStrategy(TrainerSettings.Lwf settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> settings() {
        return SettingsDescription.configKeys(settings);
    }

    /** The distillation term, owning the frozen teacher (the round closes it when training ends). */
    @Override
    public List<LossTerm> lossTerms(RoundContext round) {
        TextClassifier student = round.classifier();
        int known = learnedPrefix(student);
        if (known == 0 || settings.strength() == 0) {
            return List.of();
        }
        TextClassifier teacher = student.adapted(student.config());
        try {
            TeacherLogits logits = new TeacherLogits(teacher, known);
            long started = System.nanoTime();
            logits.prefetch(round.train().stream().map(CleanExample::getText).toList());
            LOG.info("{}: LwF teacher on {} learned label(s), {} texts prefetched in {} ms", round.label(), known,
                    logits.size(), (System.nanoTime() - started) / 1_000_000);
            return List.of(new Distillation(new DistillationLoss(logits, (float) settings.temperature(),
                    (float) settings.strength()), teacher));
        } catch (RuntimeException e) {
            teacher.close();
            throw e;
        }
    }

    /**
     * How many leading labels of the head the classifier has learned; all of them when it does not know (a parent
     * file from before adapters recorded their learned labels).
     */
    static int learnedPrefix(TextClassifier classifier) {
        List<String> labels = classifier.labels();
        Set<String> learned = Set.copyOf(classifier.learnedLabels().orElse(labels));
        int k = 0;
        while (k < labels.size() && learned.contains(labels.get(k))) {
            k++;
        }
        return k;
    }

    @Override
    public void save(Path taskDirectory) {
        // Nothing outlives a round: the next round's teacher is the adapter it starts from.
    }

    /** The term and the teacher it reads, closed together when the round's training ends. */
    private record Distillation(DistillationLoss loss, TextClassifier teacher) implements BatchLossTerm,
            AutoCloseable {

        @Override
        public NDArray compute(NDArray logits, List<LabeledText> batch) {
            return loss.compute(logits, batch);
        }

        @Override
        public void close() {
            teacher.close();
        }

        @Override
        public String toString() {
            return "LwF distillation (T " + loss.temperature() + ", strength " + loss.strength() + ")";
        }
    }
}
