package dev.streamtune.model.demo;

import dev.streamtune.model.LabeledText;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated product reviews labelled "positive" or "negative" from word lists, a third of them negated ("not
 * great"). The held-out split uses nouns and sentence templates the training split never contains, so accuracy on
 * it measures generalisation, not recall.
 */
public final class SyntheticReviews {

    public static final List<String> LABELS = List.of("negative", "positive");

    private static final String[] POSITIVE = {"great", "excellent", "wonderful", "fantastic", "lovely", "superb",
        "delightful", "reliable", "amazing", "perfect", "pleasant", "brilliant"};
    private static final String[] NEGATIVE = {"terrible", "awful", "horrible", "broken", "disappointing", "useless",
        "dreadful", "poor", "faulty", "annoying", "unpleasant", "rubbish"};
    private static final String[] TRAIN_NOUNS = {"phone", "blender", "jacket", "laptop", "kettle", "headset",
        "backpack", "lamp", "printer", "chair"};
    private static final String[] HELD_OUT_NOUNS = {"camera", "toaster", "sofa", "keyboard", "umbrella", "bicycle"};
    private static final String[] TRAIN_TEMPLATES = {"The NOUN was ADJ.", "I think this NOUN is ADJ.",
        "Honestly, this NOUN is ADJ, I would say so again.", "My new NOUN turned out ADJ after a week."};
    private static final String[] HELD_OUT_TEMPLATES = {"Overall the NOUN felt ADJ to me.",
        "What a NOUN, simply ADJ from day one."};
    private static final String[] FILLER = {"", " Delivery took three days.", " It came in a blue box.",
        " I bought it last month.", " The price was average."};

    private SyntheticReviews() {}

    /** {@code n} reviews, half of each label in expectation. */
    public static List<LabeledText> sample(int n, Random rnd, boolean heldOut) {
        String[] nouns = heldOut ? HELD_OUT_NOUNS : TRAIN_NOUNS;
        String[] templates = heldOut ? HELD_OUT_TEMPLATES : TRAIN_TEMPLATES;
        List<LabeledText> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean positive = rnd.nextBoolean();
            // A third of the reviews negate the opposite adjective ("not great"), so word lists alone do not do.
            boolean negated = rnd.nextInt(3) == 0;
            boolean positiveWord = positive != negated;
            String adjective = (negated ? "not " : "")
                    + (positiveWord ? POSITIVE[rnd.nextInt(POSITIVE.length)] : NEGATIVE[rnd.nextInt(NEGATIVE.length)]);
            String template = templates[rnd.nextInt(templates.length)];
            String noun = nouns[rnd.nextInt(nouns.length)];
            String text = template.replace("NOUN", noun).replace("ADJ", adjective);
            out.add(new LabeledText(text + FILLER[rnd.nextInt(FILLER.length)], positive ? "positive" : "negative"));
        }
        return out;
    }
}
