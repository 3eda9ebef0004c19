package dev.streamtune.trainer.strategy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.replay.ReplayBuffer;

/**
 * Joint training as a strategy (Avalanche's "cumulative"): every round trains on every training example the task
 * has seen, its own and all earlier windows', continuing from the approved adapter. The reference the other
 * strategies are measured against; it forgets little but its memory and each round's cost grow with the stream.
 * Memory is capped at {@code trainer.joint.max-examples} (past that, a class-balanced reservoir sample, as replay
 * keeps). State: {@code joint.bin} in the task's checkpoint directory.
 */
public final class JointStrategy implements ContinualStrategy {

    public static final String NAME = "joint";
    static final String FILE = "joint.bin";

    private final TrainerSettings.Joint settings;
    private final ReplayBuffer memory;

    public JointStrategy(TrainerSettings.Joint settings, ReplayBuffer memory) {
        this.settings = settings;
        this.memory = memory;
    }

    /** The task's memory as saved in {@code taskDirectory}, or an empty one. */
    public static JointStrategy restore(TrainerSettings.Joint settings, long seed, Path taskDirectory)
            throws IOException {
        Path file = taskDirectory.resolve(FILE);
        return new JointStrategy(settings, ReplayBuffer.loadOrEmpty(file, ReplayBuffer.Limits.fixed(
                settings.maxExamples()), seed));
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
    public Set<String> rememberedLabels() {
        return memory.sizeByLabel().keySet();
    }

    @Override
    public List<CleanExample> pastExamples(RoundContext round) {
        return memory.all();
    }

    @Override
    public void afterTraining(RoundContext round) {
        round.train().forEach(memory::offer);
    }

    @Override
    public void save(Path taskDirectory) throws IOException {
        memory.save(taskDirectory.resolve(FILE));
    }

    public ReplayBuffer memory() {
        return memory;
    }
}
