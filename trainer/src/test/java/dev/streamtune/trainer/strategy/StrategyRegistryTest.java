package dev.streamtune.trainer.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.streamtune.model.weights.Dtype;
import dev.streamtune.model.weights.SafetensorsWriter;
import dev.streamtune.model.weights.Tensor;
import dev.streamtune.schema.Split;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.ewc.FisherDiagonal;
import dev.streamtune.trainer.training.SyntheticIntents;
import dev.streamtune.trainer.training.SyntheticTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trainer.strategies -> the task's strategies, in order, each with its state restored from the checkpoint. */
class StrategyRegistryTest {

    @TempDir
    Path taskDirectory;

    @Test
    void strategiesAreCreatedInTheConfiguredOrder() throws Exception {
        List<ContinualStrategy> strategies = StrategyRegistry.create(settings(List.of("ewc", "replay")),
                taskDirectory);
        assertEquals(List.of("ewc", "replay"), strategies.stream().map(ContinualStrategy::name).toList());
        assertTrue(strategies.get(0) instanceof EwcStrategy && strategies.get(1) instanceof ReplayStrategy);
    }

    @Test
    void emptyListIsNaiveFineTuning() throws Exception {
        assertEquals(List.of(), StrategyRegistry.create(settings(List.of()), taskDirectory));
        assertEquals(List.of(), StrategyRegistry.validated(List.of(" ")), "TRAINER_STRATEGIES= (blank)");
        assertEquals(List.of(), StrategyRegistry.validated(null));
    }

    @Test
    void unknownOrRepeatedNameIsRefusedWithTheKnownNames() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> StrategyRegistry.validated(List.of("replay", "lwf-typo")));
        assertTrue(unknown.getMessage().contains("lwf-typo") && unknown.getMessage().contains(StrategyRegistry.names().toString()),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StrategyRegistry.validated(List.of("ewc", "ewc")));
    }

    @Test
    void stateSavedByEachStrategyIsRestoredByItsFactory() throws Exception {
        TrainerSettings settings = settings(List.of("replay", "ewc"));
        List<ContinualStrategy> before = StrategyRegistry.create(settings, taskDirectory);
        ReplayStrategy replay = (ReplayStrategy) before.get(0);
        SyntheticIntents.examples("intents", "w1", SyntheticIntents.LABELS.subList(0, 3), 30, 1, Split.TRAIN)
                .forEach(replay.buffer()::offer);
        EwcStrategy ewc = new EwcStrategy(settings.ewc(), FisherDiagonal.of(
                Map.of("head", new float[] {1, 2}), Map.of("head", new float[] {0.5f, -0.5f})));
        replay.save(taskDirectory);
        ewc.save(taskDirectory);

        List<ContinualStrategy> after = StrategyRegistry.create(settings, taskDirectory);
        assertEquals(replay.buffer().sizeByLabel(), ((ReplayStrategy) after.get(0)).buffer().sizeByLabel());
        FisherDiagonal restored = ((EwcStrategy) after.get(1)).fisher();
        assertArrayEquals(new float[] {1, 2}, restored.fisher().get("head"));
        assertArrayEquals(new float[] {0.5f, -0.5f}, restored.anchor().get("head"));
    }

    @Test
    void fisherFileOfAnEarlierTrainerCheckpointIsStillRead() throws Exception {
        // What TrainerCheckpoint.saveFisher wrote before strategies owned their state: same name, same tensors.
        SafetensorsWriter.write(taskDirectory.resolve("fisher.safetensors"),
                List.of(new Tensor("fisher/head", new long[] {1}, new float[] {3}),
                        new Tensor("anchor/head", new long[] {1}, new float[] {4})),
                Map.of("format", "streamtune-online-ewc"), Dtype.F32);
        FisherDiagonal restored = EwcStrategy.restore(settings(List.of("ewc")).ewc(), taskDirectory).fisher();
        assertArrayEquals(new float[] {3}, restored.fisher().get("head"));
        assertArrayEquals(new float[] {4}, restored.anchor().get("head"));
    }

    private static TrainerSettings settings(List<String> strategies) {
        return SyntheticTasks.settings(true, true).withStrategies(strategies);
    }
}
