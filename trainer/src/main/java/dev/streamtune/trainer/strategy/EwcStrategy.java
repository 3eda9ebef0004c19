package dev.streamtune.trainer.strategy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.streamtune.model.LabeledText;
import dev.streamtune.model.LossTerm;
import dev.streamtune.model.QuadraticPenalty;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.TrainingOptions;
import dev.streamtune.model.TrainingSession;
import dev.streamtune.model.weights.Dtype;
import dev.streamtune.model.weights.SafetensorsFile;
import dev.streamtune.model.weights.SafetensorsReader;
import dev.streamtune.model.weights.SafetensorsWriter;
import dev.streamtune.model.weights.Tensor;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.ewc.FisherDiagonal;
import dev.streamtune.trainer.training.TrainingPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online EWC (Schwarz et al. 2018): training adds {@code lambda/2 * sum F (theta - anchor)^2}; after each round the
 * diagonal Fisher over {@code trainer.ewc.fisher-samples} of its examples is folded in ({@link FisherDiagonal}) and
 * the anchor moves to the new weights. Labels appended since the Fisher was estimated get zero importance in their
 * new head rows. State: {@code fisher.safetensors} ("fisher/&lt;param&gt;" and "anchor/&lt;param&gt;" tensors) in
 * the task's checkpoint directory.
 */
public final class EwcStrategy implements ContinualStrategy {

    public static final String NAME = "ewc";
    static final String FILE = "fisher.safetensors";
    private static final Logger LOG = LoggerFactory.getLogger(EwcStrategy.class);

    private final TrainerSettings.Ewc settings;
    private FisherDiagonal fisher;

    public EwcStrategy(TrainerSettings.Ewc settings, FisherDiagonal fisher) {
        this.settings = settings;
        this.fisher = fisher;
    }

    /** The task's Fisher as saved in {@code taskDirectory}, or an empty one. */
    public static EwcStrategy restore(TrainerSettings.Ewc settings, Path taskDirectory) throws IOException {
        Path file = taskDirectory.resolve(FILE);
        if (!Files.exists(file)) {
            return new EwcStrategy(settings, FisherDiagonal.empty());
        }
        SafetensorsFile contents = SafetensorsReader.read(file);
        Map<String, float[]> importance = new HashMap<>();
        Map<String, float[]> anchor = new HashMap<>();
        contents.tensors().forEach((name, tensor) -> {
            if (name.startsWith("fisher/")) {
                importance.put(name.substring("fisher/".length()), tensor.data());
            } else if (name.startsWith("anchor/")) {
                anchor.put(name.substring("anchor/".length()), tensor.data());
            }
        });
        return new EwcStrategy(settings, FisherDiagonal.of(importance, anchor));
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
        // Labels appended since the Fisher was estimated: their new head rows start with zero importance.
        fisher = fisher.grownTo(round.classifier().snapshot());
    }

    /** The penalty, or none while nothing has been consolidated (or no trainable parameter has a Fisher). */
    @Override
    public List<LossTerm> lossTerms(RoundContext round) {
        if (fisher.isEmpty()) {
            return List.of();
        }
        TextClassifier classifier = round.classifier();
        Map<String, float[]> importance = new LinkedHashMap<>();
        Map<String, float[]> anchor = new LinkedHashMap<>();
        Map<String, float[]> current = classifier.snapshot();
        for (String name : classifier.trainableParameterNames()) {
            float[] f = fisher.fisher().get(name);
            if (f != null && f.length == current.get(name).length) {
                importance.put(name, f);
                anchor.put(name, fisher.anchor().get(name));
            }
        }
        // Online EWC's penalty is lambda/2 * sum F (theta - theta*)^2.
        return importance.isEmpty() ? List.of()
                : List.of(new QuadraticPenalty(importance, anchor, (float) (settings.lambda() / 2)));
    }

    @Override
    public void afterTraining(RoundContext round) {
        List<CleanExample> sample = new ArrayList<>(round.train());
        Collections.shuffle(sample, new Random(round.hyperparameters().seed()));
        List<LabeledText> fisherSample = sample.subList(0, Math.min(sample.size(), settings.fisherSamples()))
                .stream().map(TrainingPlan::labeled).toList();
        TextClassifier classifier = round.classifier();
        try (TrainingSession session = TrainingSession.start(classifier, TrainingOptions.defaults())) {
            int nonFinite = fisher.consolidate(session.meanSquaredGradients(fisherSample), classifier.snapshot(),
                    settings.decay());
            if (nonFinite > 0) {
                LOG.warn("Fisher estimate had {} non-finite values; they count as zero importance", nonFinite);
            }
        }
    }

    @Override
    public void save(Path taskDirectory) throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        fisher.fisher().forEach((name, values) -> tensors.add(vector("fisher/" + name, values)));
        fisher.anchor().forEach((name, values) -> tensors.add(vector("anchor/" + name, values)));
        Path file = taskDirectory.resolve(FILE);
        Path temp = file.resolveSibling(FILE + ".tmp");
        SafetensorsWriter.write(temp, tensors, Map.of("format", "streamtune-online-ewc"), Dtype.F32);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public FisherDiagonal fisher() {
        return fisher;
    }

    private static Tensor vector(String name, float[] values) {
        return new Tensor(name, new long[] {values.length}, values);
    }
}
