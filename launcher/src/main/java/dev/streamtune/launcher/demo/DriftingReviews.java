package dev.streamtune.launcher.demo;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A generated sentiment stream whose vocabulary drifts: gadget reviews, then restaurant reviews, then social-media
 * slang, then back to gadgets. An adapter trained on one era is unsure on the next (the slang era especially), the
 * evaluator's token drift crosses its threshold, and feedback corrections pile up until a newer adapter is promoted.
 * Deterministic for a given seed.
 */
public final class DriftingReviews {

    public static final String TASK = "sentiment";
    public static final String POSITIVE = "positive";
    public static final String NEGATIVE = "negative";

    /** One era of the stream: what people talk about and how they praise or complain. */
    record Era(String name, List<String> subjects, List<String> praise, List<String> complaints) {
    }

    static final List<Era> ERAS = List.of(
            new Era("gadget reviews",
                    List.of("the laptop", "this phone", "the headphones", "my new tablet", "the charger",
                            "this keyboard", "the smartwatch", "the camera", "the router", "this speaker"),
                    List.of("works flawlessly", "has an excellent battery", "is fast and reliable",
                            "exceeded my expectations", "is great value for money", "feels solid and well made",
                            "has a gorgeous screen", "set up in minutes"),
                    List.of("stopped working", "has a terrible battery", "is slow and buggy",
                            "was a waste of money", "overheats constantly", "feels cheap and flimsy",
                            "keeps disconnecting", "broke on the first day")),
            new Era("restaurant reviews",
                    List.of("the pasta", "our waiter", "the dessert", "this bistro", "the soup", "the brunch menu",
                            "the curry", "the wine list", "the pizza", "the chef's special"),
                    List.of("was delicious", "was friendly and attentive", "was cooked to perfection",
                            "made our evening", "was worth every penny", "tasted fresh and generous",
                            "had wonderful flavours", "was a delight"),
                    List.of("was cold and bland", "ignored us for an hour", "was overcooked and greasy",
                            "ruined our evening", "was overpriced for tiny portions", "tasted stale",
                            "came out wrong twice", "was a disappointment")),
            new Era("social-media slang",
                    List.of("this album", "the new season", "that game", "the drop", "the trailer", "the finale",
                            "this remix", "the collab", "that fit", "the sequel"),
                    List.of("is straight fire", "slaps so hard", "is lowkey a masterpiece", "goes crazy",
                            "hits different", "ate and left no crumbs", "is a whole vibe", "is peak"),
                    List.of("is mid at best", "is a total flop", "fell off hard", "is pure cringe",
                            "is giving nothing", "is so washed", "flopped so bad", "is a snooze")));

    private static final List<String> OPENERS = List.of("", "honestly ", "to be fair ", "I think ", "wow, ",
            "update: ", "so far ");
    private static final List<String> WHEN = List.of("after %d days", "on day %d", "after %d hours of use",
            "for the %dth time", "within %d minutes", "after %d weeks");
    private static final List<String> ENDINGS = List.of(".", "!", "!!", " lol.", ", would say so again.", ".");
    private static final List<String> CHANNELS = List.of("web", "mobile", "email");
    private static final List<String> LOCALES = List.of("en-US", "en-GB", "en-IN");

    /** One generated example: the text, its true label, and the slice attributes bias metrics group by. */
    public record Review(String text, String label, String era, Map<String, String> attributes) {
    }

    private final Random random;
    private final int eraLength;
    private long produced;

    /**
     * @param eraLength examples per era before the vocabulary moves on
     */
    public DriftingReviews(long seed, int eraLength) {
        if (eraLength < 1) {
            throw new IllegalArgumentException("era length must be at least 1 example, not " + eraLength);
        }
        this.random = new Random(seed);
        this.eraLength = eraLength;
    }

    /** The era the next review will come from. */
    public String currentEra() {
        return era(produced).name();
    }

    public Review next() {
        Era era = era(produced++);
        boolean positive = random.nextBoolean();
        String subject = pick(era.subjects());
        String verdict = pick(positive ? era.praise() : era.complaints());
        String when = String.format(pick(WHEN), 2 + random.nextInt(60));
        String opener = pick(OPENERS);
        String sentence = random.nextBoolean()
                ? opener + subject + " " + verdict + " " + when + pick(ENDINGS)
                : opener + when + ", " + subject + " " + verdict + pick(ENDINGS);
        return new Review(Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1),
                positive ? POSITIVE : NEGATIVE, era.name(),
                Map.of("channel", pick(CHANNELS), "locale", pick(LOCALES)));
    }

    private Era era(long index) {
        return ERAS.get((int) ((index / eraLength) % ERAS.size()));
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }
}
