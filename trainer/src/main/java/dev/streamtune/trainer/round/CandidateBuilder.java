package dev.streamtune.trainer.round;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.Deployment;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.strategy.SettingsDescription;
import dev.streamtune.trainer.training.CandidateCalibration;
import dev.streamtune.trainer.training.StageTimes;
import dev.streamtune.trainer.training.WindowTrainer;

/**
 * Turns a finished round into its {@link AdapterCandidate}: writes the adapter file under the store
 * ({@code <store>/<task>/<candidate>.adapter}), and names its base model, parent, windows, artifact checksum,
 * hyperparameters (every field of the record), validation metrics and lineage (with every strategy and its
 * settings and every hyperparameter, generated from the settings records). The candidate is signed when it is published.
 */
public final class CandidateBuilder {

    private final String baseModelId;
    private final String baseModelChecksum;
    private final Path store;

    /**
     * @param store where adapter files are written, and the only place parent adapters are read from
     */
    public CandidateBuilder(String baseModelId, String baseModelChecksum, Path store) {
        this.baseModelId = baseModelId;
        this.baseModelChecksum = baseModelChecksum;
        this.store = store;
    }

    /**
     * A trained round.
     *
     * @param parent       the approved adapter it started from, or null for a fresh one
     * @param result       the training's numbers
     * @param calibration  the temperature fitted on its validation split (already set on the classifier)
     * @param hyperparameters what it was trained with
     * @param strategies   the round's continual-learning strategies, in order, each with its settings by config key
     * @param lineage      how it came about, in order (starting point, windows, task, overrides, search, growth...);
     *                     the settings lines are added here
     * @param trainSeconds wall time of the round's training
     * @param stages       where that time went (start, each strategy, steps, validation, calibration, ...)
     */
    public record FinishedRound(String candidateId, String task, List<String> windowIds, Deployment parent,
                                TextClassifier classifier, WindowTrainer.Result result,
                                CandidateCalibration calibration, TrainerSettings.Hyperparameters hyperparameters,
                                Map<String, Map<String, String>> strategies, List<String> lineage,
                                double trainSeconds, StageTimes stages) {
    }

    public AdapterCandidate build(FinishedRound round) throws IOException {
        Path file = Files.createDirectories(store.resolve(round.task())).resolve(round.candidateId() + ".adapter");
        Map<String, String> fileLineage = new LinkedHashMap<>();
        fileLineage.put("candidate", round.candidateId());
        fileLineage.put("windows", String.join(",", round.windowIds()));
        fileLineage.put("parent", round.parent() == null ? "" : round.parent().getAdapterId());
        if (!round.result().unfreezing().isEmpty()) {
            fileLineage.put("unfreezing", round.result().unfreezing()); // which top layers trained from which step
        }
        round.classifier().save(file, fileLineage);
        AdapterArtifact artifact = AdapterArtifact.of(file);
        Map<String, Double> metrics = new LinkedHashMap<>(round.result().metrics());
        metrics.putAll(round.calibration().metrics());
        metrics.put("train.seconds", round.trainSeconds());
        metrics.putAll(round.stages().metrics());
        return AdapterCandidate.newBuilder()
                .setCandidateId(round.candidateId()).setTask(round.task()).setBaseModelId(baseModelId)
                .setBaseModelChecksum(baseModelChecksum)
                .setParentAdapterId(round.parent() == null ? null : round.parent().getAdapterId())
                .setWindowIds(round.windowIds()).setArtifactUri(artifact.uri().toString())
                .setArtifactSha256(artifact.sha256()).setCreatedAt(Instant.now())
                .setHyperparameters(SettingsDescription.componentNames(round.hyperparameters()))
                .setValidationMetrics(metrics)
                .setLineage(lineage(round)).build();
    }

    /**
     * The round's own lineage, then what it was trained with, generated from the settings records (nothing copied
     * by hand): {@code strategies [replay, ewc]}, one {@code strategy <name>: key=value, ...} line per strategy, and
     * {@code hyperparameters key=value, ...} with every hyperparameter used, by its {@code trainer.hyperparameters}
     * key.
     */
    static List<String> lineage(FinishedRound round) {
        List<String> lineage = new ArrayList<>(round.lineage());
        if (!round.result().unfreezing().isEmpty()) {
            lineage.add("unfreezing: " + round.result().unfreezing());
        }
        lineage.add(round.calibration().summary());
        lineage.add("strategies " + round.strategies().keySet()
                + (round.strategies().isEmpty() ? " (naive fine-tuning)" : ""));
        round.strategies().forEach((name, settings) -> lineage.add("strategy " + name + ": " + pairs(settings)));
        lineage.add("hyperparameters " + pairs(SettingsDescription.configKeys(round.hyperparameters())));
        return lineage;
    }

    private static String pairs(Map<String, String> settings) {
        StringJoiner joined = new StringJoiner(", ");
        settings.forEach((key, value) -> joined.add(key + "=" + value));
        return joined.toString();
    }
}
