package dev.streamtune.trainer.training;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;

/**
 * A class-incremental stream in miniature: each label is a topic (colours, animals, weather, food, places, music)
 * named by one of its cue words inside a sentence of shared filler, so a label can be appended to a task and
 * learned from its own examples. The cue words of one label are split: even-indexed ones for training, odd-indexed
 * ones for validation and test, so accuracy measures more than memorised words.
 */
public final class SyntheticIntents {

    /** Every label, in the order a task appends them. */
    public static final List<String> LABELS = List.of("colour", "animal", "weather", "food", "place", "music");

    private static final String[][] CUES = {
            {"red", "blue", "green", "yellow", "purple", "orange", "crimson", "teal", "violet", "amber"},
            {"dog", "cat", "horse", "rabbit", "tiger", "parrot", "wolf", "dolphin", "hamster", "eagle"},
            {"rain", "snow", "sunshine", "thunder", "fog", "hail", "drizzle", "heatwave", "frost", "storm"},
            {"pizza", "bread", "cheese", "soup", "noodles", "salad", "pancakes", "rice", "curry", "cake"},
            {"beach", "museum", "airport", "library", "village", "harbour", "stadium", "castle", "market", "forest"},
            {"guitar", "piano", "violin", "drums", "trumpet", "flute", "cello", "saxophone", "harp", "banjo"},
    };
    private static final String[] OPENINGS = {"i keep thinking about the", "we talked about the",
            "they mentioned the", "she pointed at the", "he wrote about the", "someone asked about the",
            "the report described the", "my friend liked the"};
    private static final String[] FILLERS = {"this morning", "at the station", "on the radio", "near the office",
            "in the story", "during lunch", "after the meeting", "on the way home"};

    private SyntheticIntents() {
    }

    /**
     * {@code n} examples of {@code task} spread evenly over {@code labels}, reproducible from {@code seed}; train
     * examples use the training cue words, validation and test ones the held-out cue words.
     */
    public static List<CleanExample> examples(String task, String windowId, List<String> labels, int n, long seed,
                                              Split split) {
        Random random = new Random(seed * 7919 + labels.hashCode());
        List<CleanExample> examples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String label = labels.get(i % labels.size());
            String[] cues = CUES[LABELS.indexOf(label)];
            int cue = 2 * random.nextInt(cues.length / 2) + (split == Split.TRAIN ? 0 : 1);
            String text = OPENINGS[random.nextInt(OPENINGS.length)] + " " + cues[cue] + " "
                    + FILLERS[random.nextInt(FILLERS.length)];
            String id = task + "-" + split + "-" + seed + "-" + i;
            examples.add(CleanExample.newBuilder().setId(id).setTask(task).setText(text).setLabel(label)
                    .setSource("synthetic").setOrigin(ExampleOrigin.LABELLED).setEventTime(Instant.EPOCH)
                    .setAttributes(Map.of()).setWeight(1.0).setSplit(split).setContentHash("h-" + id)
                    .setWindowId(windowId).build());
        }
        return examples;
    }

    /** Accuracy of {@code classifier} on {@code n} test examples of {@code labels}. */
    public static double accuracy(dev.streamtune.model.TextClassifier classifier, List<String> labels, int n,
                                  long seed) {
        return ValidationScore.of(classifier, examples("test", "test", labels, n, seed, Split.TEST).stream()
                .map(TrainingPlan::labeled).toList()).accuracy();
    }
}
