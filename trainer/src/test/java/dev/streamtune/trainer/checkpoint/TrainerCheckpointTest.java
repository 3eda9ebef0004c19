package dev.streamtune.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.streamtune.model.OptimizerState;
import dev.streamtune.model.weights.Dtype;
import dev.streamtune.model.weights.SafetensorsWriter;
import dev.streamtune.model.weights.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-progress round's files: every optimizer's state survives a save and a read; old files still read. */
class TrainerCheckpointTest {

    @TempDir
    Path home;

    @Test
    void adamWsMomentsRoundTrip() throws Exception {
        roundTrips(state("adamw", 7, "m", "v"));
    }

    @Test
    void sgdsMomentumBufferRoundTrips() throws Exception {
        roundTrips(state("sgd", 3, "momentum_buffer"));
    }

    @Test
    void rmsPropsSquareAverageRoundTrips() throws Exception {
        roundTrips(state("rmsprop", 12, "square_avg"));
    }

    @Test
    void aFileWrittenBeforeTheOptimizerWasConfigurableResumesAsAdamW() throws Exception {
        TrainerCheckpoint checkpoint = new TrainerCheckpoint(home);
        Path task = checkpoint.taskDirectory("intents");
        // The previous code's layout: "m/" and "v/" tensors, only a "steps" metadata key.
        SafetensorsWriter.write(task.resolve("round.optimizer"), List.of(
                new Tensor("m/classifier.bias", new long[] {2}, new float[] {0.1f, -0.2f}),
                new Tensor("v/classifier.bias", new long[] {2}, new float[] {0.01f, 0.04f})),
                Map.of("steps", "5"), Dtype.F32);
        Files.writeString(task.resolve("round.adapter"), "weights");
        Files.writeString(task.resolve("round.properties"), "candidate=cand-w1\nbatches=10\n");

        OptimizerState read = checkpoint.round("intents").orElseThrow().optimizer();
        assertEquals("adamw", read.method());
        assertEquals(5, read.steps());
        assertArrayEquals(new float[] {0.1f, -0.2f}, read.slots().get("m").get("classifier.bias"));
        assertArrayEquals(new float[] {0.01f, 0.04f}, read.slots().get("v").get("classifier.bias"));
        assertEquals(OptimizerState.adamW(5, Map.of("classifier.bias", new float[2]),
                Map.of("classifier.bias", new float[2])).slotNames().stream().sorted().toList(),
                read.slotNames().stream().sorted().toList());
    }

    private void roundTrips(OptimizerState state) throws Exception {
        TrainerCheckpoint checkpoint = new TrainerCheckpoint(home);
        Files.writeString(checkpoint.roundAdapter("intents"), "weights");
        checkpoint.saveRound("intents", "cand-w2", 14, state);

        TrainerCheckpoint.Round round = checkpoint.round("intents").orElseThrow();
        assertEquals("cand-w2", round.candidateId());
        assertEquals(14, round.batchesDone());
        OptimizerState read = round.optimizer();
        assertEquals(state.method(), read.method());
        assertEquals(state.steps(), read.steps());
        assertEquals(state.slots().keySet(), read.slots().keySet());
        state.slots().forEach((slot, values) -> {
            assertEquals(values.keySet(), read.slots().get(slot).keySet(), slot);
            values.forEach((name, v) -> assertArrayEquals(v, read.slots().get(slot).get(name), slot + "/" + name));
        });
        checkpoint.clearRound("intents");
        assertEquals(java.util.Optional.empty(), checkpoint.round("intents"));
    }

    /** A state with distinct values in every slot and parameter (so a mix-up shows). */
    private static OptimizerState state(String method, int steps, String... slots) {
        Map<String, Map<String, float[]>> values = new LinkedHashMap<>();
        float next = 1;
        for (String slot : slots) {
            Map<String, float[]> perParameter = new LinkedHashMap<>();
            for (String name : List.of("encoder.layer.0.attention.self.query.lora_A.weight", "classifier.bias")) {
                perParameter.put(name, new float[] {next++, -next++, next++ / 1000f});
            }
            values.put(slot, perParameter);
        }
        return new OptimizerState(method, steps, values);
    }
}
