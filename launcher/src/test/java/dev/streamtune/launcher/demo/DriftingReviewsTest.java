package dev.streamtune.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DriftingReviewsTest {

    @Test
    void sameSeedSameStream() {
        DriftingReviews a = new DriftingReviews(7, 100);
        DriftingReviews b = new DriftingReviews(7, 100);
        for (int i = 0; i < 300; i++) {
            assertEquals(a.next(), b.next());
        }
    }

    @Test
    void erasFollowEachOtherAndComeBack() {
        DriftingReviews reviews = new DriftingReviews(1, 10);
        List<String> eras = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String era = reviews.next().era();
            if (eras.isEmpty() || !eras.get(eras.size() - 1).equals(era)) {
                eras.add(era);
            }
        }
        assertEquals(List.of("gadget reviews", "restaurant reviews", "social-media slang", "gadget reviews"), eras);
    }

    @Test
    void vocabularyChangesBetweenErasAndLabelsAreBalanced() {
        DriftingReviews reviews = new DriftingReviews(3, 1000);
        Set<String> first = words(reviews, 1000);
        Set<String> second = words(reviews, 1000);
        Set<String> shared = new HashSet<>(first);
        shared.retainAll(second);
        // Only the scaffolding ("after", "days", "honestly"...) is shared: that is what the drift detector sees.
        assertTrue(shared.size() < first.size() / 2, "shared " + shared.size() + " of " + first.size());

        DriftingReviews counted = new DriftingReviews(5, 1000);
        int positive = 0;
        Set<String> texts = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            DriftingReviews.Review review = counted.next();
            positive += review.label().equals(DriftingReviews.POSITIVE) ? 1 : 0;
            texts.add(review.text());
            assertNotEquals("", review.attributes().get("channel"));
        }
        assertTrue(positive > 400 && positive < 600, "positive " + positive);
        // Ingest drops exact duplicates; nearly all generated texts must survive that.
        assertTrue(texts.size() > 950, "distinct texts " + texts.size());
    }

    @Test
    void refusesEmptyEras() {
        assertThrows(IllegalArgumentException.class, () -> new DriftingReviews(1, 0));
    }

    private static Set<String> words(DriftingReviews reviews, int n) {
        Set<String> words = new HashSet<>();
        for (int i = 0; i < n; i++) {
            for (String word : reviews.next().text().toLowerCase().split("[^a-z']+")) {
                words.add(word);
            }
        }
        return words;
    }
}
