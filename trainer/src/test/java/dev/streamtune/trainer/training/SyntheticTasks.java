package dev.streamtune.trainer.training;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.ewc.FisherDiagonal;
import dev.streamtune.trainer.replay.ReplayBuffer;
import dev.streamtune.trainer.schedule.LearningRateSchedule;
import dev.streamtune.trainer.strategy.ContinualStrategy;
import dev.streamtune.trainer.strategy.EwcStrategy;
import dev.streamtune.trainer.strategy.JointStrategy;
import dev.streamtune.trainer.strategy.LwfStrategy;
import dev.streamtune.trainer.strategy.ReplayStrategy;
import dev.streamtune.trainer.strategy.WeightAligningStrategy;

/**
 * A sequence of binary tasks that share the labels positive / negative but are decided by different cue words
 * (colours, animals, weather, food, places). Each example of task k also carries a cue of an earlier task with the
 * opposite polarity, so learning task k alone actively teaches the model to invert earlier rules: naive sequential
 * fine-tuning forgets, which is what replay and EWC must prevent.
 */
public final class SyntheticTasks {

    public static final List<String> LABELS = List.of("negative", "positive");

    private static final String[][][] CUES = {
            {{"red", "orange", "yellow", "crimson", "amber", "scarlet", "golden", "coral"},
                    {"blue", "green", "teal", "navy", "cyan", "azure", "indigo", "turquoise"}},
            {{"dog", "cat", "puppy", "kitten", "hamster", "parrot", "rabbit", "pony"},
                    {"wolf", "shark", "tiger", "cobra", "scorpion", "crocodile", "hyena", "vulture"}},
            {{"sunny", "bright", "clear", "mild", "breezy", "calm", "pleasant", "balmy"},
                    {"stormy", "freezing", "foggy", "rainy", "icy", "windy", "gloomy", "humid"}},
            {{"cake", "cookie", "pie", "candy", "chocolate", "pudding", "muffin", "honey"},
                    {"lemon", "vinegar", "pickle", "onion", "garlic", "radish", "mustard", "chili"}},
            {{"beach", "park", "garden", "meadow", "island", "lake", "village", "festival"},
                    {"prison", "swamp", "desert", "dungeon", "landfill", "sewer", "cemetery", "bunker"}},
    };
    private static final String[] OPENINGS = {"i noticed", "we talked about", "they mentioned", "she pointed at",
            "he wrote about", "someone asked about", "the report described", "my friend liked"};
    private static final String[] FILLERS = {"this morning", "at the station", "on the radio", "near the office",
            "in the story", "during lunch", "after the meeting", "on the way home"};

    private SyntheticTasks() {
    }

    public static int count() {
        return CUES.length;
    }

    /** {@code n} balanced examples of task {@code task} (0-based), reproducible from {@code seed}. */
    public static List<CleanExample> examples(int task, int n, long seed, Split split) {
        Random random = new Random(seed * 31 + task);
        List<CleanExample> examples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean positive = i % 2 == 0;
            String cue = pick(CUES[task][positive ? 0 : 1], random);
            StringBuilder text = new StringBuilder(pick(OPENINGS, random)).append(" the ").append(cue);
            if (task > 0) {
                // an earlier task's cue with the opposite polarity: the interference that causes forgetting
                int earlier = random.nextInt(task);
                text.append(" and the ").append(pick(CUES[earlier][positive ? 1 : 0], random));
            }
            text.append(' ').append(pick(FILLERS, random));
            examples.add(CleanExample.newBuilder().setId("t" + task + "-" + seed + "-" + i).setTask("synthetic")
                    .setText(text.toString()).setLabel(LABELS.get(positive ? 1 : 0)).setSource("synthetic")
                    .setOrigin(ExampleOrigin.LABELLED).setEventTime(Instant.EPOCH).setAttributes(Map.of())
                    .setWeight(1.0).setSplit(split).setContentHash("h" + task + "-" + seed + "-" + i)
                    .setWindowId("synthetic-" + String.format("%06d", task)).build());
        }
        return examples;
    }

    /** Trainer settings that learn one synthetic task in a few seconds on two cores; replay and EWC on or off. */
    public static TrainerSettings settings(boolean replay, boolean ewc) {
        List<String> strategies = new java.util.ArrayList<>();
        if (replay) {
            strategies.add(ReplayStrategy.NAME);
        }
        if (ewc) {
            strategies.add(EwcStrategy.NAME);
        }
        return new TrainerSettings("unused", "unused", 1, 50, 0, strategies,
                new TrainerSettings.Hyperparameters(1e-3, 5, LearningRateSchedule.Decay.COSINE, 0.1, 16, 1, 3, 90,
                        0.01, 0.1f, 8, 16f, List.of("query", "value"), 0, 0, 32, 42, 100, 1000, 0, "lora", 0,
                        "adamw", 0.9, 0.99, 0),
                new TrainerSettings.Replay(400, 1.0, 0, 0.5, 0.75),
                new TrainerSettings.Ewc(1000, 0.9, 200),
                new TrainerSettings.Lwf(2, 1),
                new TrainerSettings.WeightAligning(false, false),
                new TrainerSettings.Joint(10_000),
                new TrainerSettings.Search(false, "random-halving", 4, 10, 2, 100,
                        new TrainerSettings.Search.Tpe(20, 3, 0.25, 24, 1.0)),
                new TrainerSettings.Augmentation(false, 4, 0.1, 0.1, 0.1, 0.1, "/usr/share/wordnet"));
    }

    /**
     * A learner with the strategies {@code settings} names, their state empty; the replay buffer drawn with
     * {@code replaySeed}.
     */
    public static ContinualLearner learner(dev.streamtune.model.BaseModel base, TrainerSettings settings,
                                           long replaySeed) {
        List<ContinualStrategy> strategies = new java.util.ArrayList<>();
        for (String name : settings.strategies()) {
            strategies.add(switch (name) {
                case ReplayStrategy.NAME -> new ReplayStrategy(settings.replay(),
                        new ReplayBuffer(settings.replay().limits(), replaySeed));
                case EwcStrategy.NAME -> new EwcStrategy(settings.ewc(), FisherDiagonal.empty());
                case LwfStrategy.NAME -> new LwfStrategy(settings.lwf());
                case WeightAligningStrategy.NAME -> new WeightAligningStrategy(settings.weightAligning());
                case JointStrategy.NAME -> new JointStrategy(settings.joint(),
                        new ReplayBuffer(settings.joint().maxExamples(), replaySeed));
                default -> throw new IllegalArgumentException("no test learner for strategy " + name);
            });
        }
        return new ContinualLearner(base, strategies);
    }

    private static String pick(String[] words, Random random) {
        return words[random.nextInt(words.length)];
    }
}
