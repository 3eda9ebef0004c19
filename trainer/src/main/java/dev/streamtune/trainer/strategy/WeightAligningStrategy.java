package dev.streamtune.trainer.strategy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamtune.model.HeadAlignment;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.trainer.TrainerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weight aligning, a class-incremental bias correction of the head ({@link HeadAlignment}): after a round that
 * taught labels the adapter had not learned before, their head rows are rescaled to the mean norm of the rows it
 * had learned, so the new labels' logits stop outbidding the old ones. A round with no new label (a
 * domain-incremental window, or the first round) changes nothing. No data, no training, no state outside a round.
 */
public final class WeightAligningStrategy implements ContinualStrategy {

    public static final String NAME = "weight-aligning";
    private static final Logger LOG = LoggerFactory.getLogger(WeightAligningStrategy.class);

    private final TrainerSettings.WeightAligning settings;
    /** The labels the round's classifier had learned when it started. */
    private List<String> learnedBefore = List.of();

    public WeightAligningStrategy(TrainerSettings.WeightAligning settings) {
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

    @Override
    public void beforeTraining(RoundContext round) {
        TextClassifier classifier = round.classifier();
        learnedBefore = classifier.learnedLabels().orElse(classifier.labels());
    }

    @Override
    public void afterTraining(RoundContext round) {
        TextClassifier classifier = round.classifier();
        List<String> added = new ArrayList<>(classifier.learnedLabels().orElse(classifier.labels()));
        added.removeAll(learnedBefore);
        if (learnedBefore.isEmpty() || added.isEmpty()) {
            return;
        }
        HeadAlignment.Aligned aligned = HeadAlignment.alignLabels(classifier, learnedBefore, added,
                settings.scaleBias() ? HeadAlignment.Bias.SCALE : HeadAlignment.Bias.KEEP, settings.shrinkOnly());
        LOG.info("{}: weight aligning of {} new label(s) {}: gamma {} (old rows' mean norm {}, new rows' {})",
                round.label(), added.size(), added, String.format("%.4f", aligned.gamma()),
                String.format("%.4f", aligned.oldMeanNorm()), String.format("%.4f", aligned.newMeanNorm()));
    }

    @Override
    public void save(Path taskDirectory) {
        // Nothing outlives a round: what was learned before is in the adapter file.
    }
}
