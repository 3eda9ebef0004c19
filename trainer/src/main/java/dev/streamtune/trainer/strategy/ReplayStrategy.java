package dev.streamtune.trainer.strategy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.replay.ReplayBuffer;
import dev.streamtune.trainer.training.TrainingPlan;

/**
 * Experience replay: a class-balanced reservoir of the task's past training examples ({@link ReplayBuffer}), mixed
 * into every batch at {@code trainer.replay.ratio}, raised to the share of the round's labels that only the buffer
 * holds ({@link TrainingPlan#replayRatio}). A round's own examples enter the buffer after it is trained. State:
 * {@code replay.bin} in the task's checkpoint directory.
 */
public final class ReplayStrategy implements ContinualStrategy {

    public static final String NAME = "replay";
    static final String FILE = "replay.bin";

    private final TrainerSettings.Replay settings;
    private final ReplayBuffer buffer;

    public ReplayStrategy(TrainerSettings.Replay settings, ReplayBuffer buffer) {
        this.settings = settings;
        this.buffer = buffer;
    }

    /** The task's buffer as saved in {@code taskDirectory}, or an empty one. */
    public static ReplayStrategy restore(TrainerSettings.Replay settings, long seed, Path taskDirectory)
            throws IOException {
        Path file = taskDirectory.resolve(FILE);
        return new ReplayStrategy(settings, ReplayBuffer.loadOrEmpty(file, settings.limits(), seed));
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
        return buffer.sizeByLabel().keySet();
    }

    @Override
    public Optional<TrainingPlan.TopUp> batchTopUp(RoundContext round) {
        double ratio = TrainingPlan.replayRatio(settings.ratio(), settings.maxRatio(),
                round.train().stream().map(CleanExample::getLabel).collect(Collectors.toSet()),
                buffer.sizeByLabel().keySet());
        if (buffer.size() == 0 || ratio <= 0) {
            return Optional.empty();
        }
        return Optional.of(topUp(buffer, ratio));
    }

    /** {@code ratio} of each batch drawn from {@code buffer}. */
    public static TrainingPlan.TopUp topUp(ReplayBuffer buffer, double ratio) {
        return new TrainingPlan.TopUp() {
            @Override
            public double ratio() {
                return ratio;
            }

            @Override
            public List<CleanExample> draw(int n, Random random) {
                return buffer.sample(n, random);
            }

            @Override
            public String toString() {
                return "replay (" + buffer.size() + " in buffer, ratio " + ratio + ")";
            }
        };
    }

    @Override
    public void afterTraining(RoundContext round) {
        round.train().forEach(buffer::offer);
    }

    @Override
    public void save(Path taskDirectory) throws IOException {
        buffer.save(taskDirectory.resolve(FILE));
    }

    public ReplayBuffer buffer() {
        return buffer;
    }
}
