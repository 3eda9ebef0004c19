package dev.streamtune.trainer.round;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.Deployment;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.training.WindowTrainer;

/**
 * Turns a finished round into its {@link AdapterCandidate}: writes the adapter file under the store
 * ({@code <store>/<task>/<candidate>.adapter}), and names its base model, parent, windows, artifact checksum,
 * hyperparameters, validation metrics and lineage. The candidate is signed when it is published.
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
     * @param hyperparameters what it was trained with
     * @param lineage      how it came about, in order (starting point, windows, task, overrides, search, growth...)
     * @param trainSeconds wall time of the round's training
     */
    public record FinishedRound(String candidateId, String task, List<String> windowIds, Deployment parent,
                                TextClassifier classifier, WindowTrainer.Result result,
                                TrainerSettings.Hyperparameters hyperparameters, List<String> lineage,
                                double trainSeconds) {
    }

    public AdapterCandidate build(FinishedRound round) throws IOException {
        Path file = Files.createDirectories(store.resolve(round.task())).resolve(round.candidateId() + ".adapter");
        round.classifier().save(file, Map.of("candidate", round.candidateId(),
                "windows", String.join(",", round.windowIds()),
                "parent", round.parent() == null ? "" : round.parent().getAdapterId()));
        AdapterArtifact artifact = AdapterArtifact.of(file);
        Map<String, Double> metrics = new LinkedHashMap<>(round.result().metrics());
        metrics.put("train.seconds", round.trainSeconds());
        return AdapterCandidate.newBuilder()
                .setCandidateId(round.candidateId()).setTask(round.task()).setBaseModelId(baseModelId)
                .setBaseModelChecksum(baseModelChecksum)
                .setParentAdapterId(round.parent() == null ? null : round.parent().getAdapterId())
                .setWindowIds(round.windowIds()).setArtifactUri(artifact.uri().toString())
                .setArtifactSha256(artifact.sha256()).setCreatedAt(Instant.now())
                .setHyperparameters(describe(round.hyperparameters())).setValidationMetrics(metrics)
                .setLineage(round.lineage()).build();
    }

    static Map<String, String> describe(TrainerSettings.Hyperparameters hp) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("learningRate", Double.toString(hp.learningRate()));
        map.put("warmupSteps", Integer.toString(hp.warmupSteps()));
        map.put("decay", hp.decay().name());
        map.put("batchSize", Integer.toString(hp.batchSize()));
        map.put("gradientAccumulation", Integer.toString(hp.gradientAccumulation()));
        map.put("epochs", Integer.toString(hp.epochs()));
        map.put("maxSteps", Integer.toString(hp.maxSteps()));
        map.put("weightDecay", Double.toString(hp.weightDecay()));
        map.put("dropout", Float.toString(hp.dropout()));
        map.put("loraRank", Integer.toString(hp.loraRank()));
        map.put("loraAlpha", Float.toString(hp.loraAlpha()));
        map.put("trainableTopLayers", Integer.toString(hp.trainableTopLayers()));
        map.put("maxSequenceLength", Integer.toString(hp.maxSequenceLength()));
        map.put("seed", Long.toString(hp.seed()));
        return map;
    }
}
