package dev.streamtune.trainer.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Split;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.replay.ReplayBuffer;
import dev.streamtune.trainer.training.SyntheticIntents;
import dev.streamtune.trainer.training.SyntheticTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Joint's hooks: each round trains on every earlier round's examples, kept across a restart; no model needed. */
class JointStrategyTest {

    private static final TrainerSettings.Hyperparameters HP = SyntheticTasks.settings(false, false).hyperparameters();
    private static final TrainerSettings.Joint SETTINGS = new TrainerSettings.Joint(1000);

    @TempDir
    Path dir;

    @Test
    void everyRoundTrainsOnAllEarlierRoundsExamplesAlsoAfterARestart() throws Exception {
        JointStrategy joint = JointStrategy.restore(SETTINGS, 1, dir);
        List<CleanExample> first = examples(SyntheticIntents.LABELS.subList(0, 2), 1);
        List<CleanExample> second = examples(SyntheticIntents.LABELS.subList(2, 4), 2);
        assertEquals(List.of(), joint.pastExamples(round(first)), "nothing before the first round");
        joint.afterTraining(round(first));
        assertEquals(Set.copyOf(first), Set.copyOf(joint.pastExamples(round(second))));
        joint.afterTraining(round(second));
        joint.save(dir);

        JointStrategy restarted = JointStrategy.restore(SETTINGS, 1, dir);
        Set<CleanExample> expected = new HashSet<>(first);
        expected.addAll(second);
        List<CleanExample> past = restarted.pastExamples(round(examples(SyntheticIntents.LABELS.subList(4, 5), 3)));
        assertEquals(expected.size(), past.size(), "each example once");
        assertEquals(expected, Set.copyOf(past));
        assertEquals(Set.copyOf(SyntheticIntents.LABELS.subList(0, 4)), restarted.rememberedLabels());
    }

    @Test
    void pastTheCapTheMemoryIsAClassBalancedSample() {
        JointStrategy joint = new JointStrategy(new TrainerSettings.Joint(20), new ReplayBuffer(20, 1));
        joint.afterTraining(round(examples(SyntheticIntents.LABELS.subList(0, 2), 1)));
        joint.afterTraining(round(examples(SyntheticIntents.LABELS.subList(0, 2), 2)));
        assertEquals(20, joint.pastExamples(null).size());
        assertEquals(10, joint.memory().sizeByLabel().get(SyntheticIntents.LABELS.get(0)));
    }

    private static List<CleanExample> examples(List<String> labels, long seed) {
        return SyntheticIntents.examples("intents", "w" + seed, labels, 20, seed, Split.TRAIN);
    }

    private static RoundContext round(List<CleanExample> train) {
        return new RoundContext(null, train, List.of(), HP, "test");
    }
}
