package dev.streamtune.evaluator.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;
import org.junit.jupiter.api.Test;

class AnswerMemoTest {

    /** Says "pos" for texts containing "good"; records every text it was asked about. */
    static class CountingScorer implements AdapterScorer {
        final List<String> asked = new ArrayList<>();

        @Override
        public List<Map<String, Double>> predict(List<String> texts) {
            asked.addAll(texts);
            return texts.stream().map(t -> t.contains("good") ? Map.of("pos", 0.9, "neg", 0.1)
                    : Map.of("pos", 0.3, "neg", 0.7)).toList();
        }

        @Override
        public List<String> labels() {
            return List.of("neg", "pos");
        }

        @Override
        public void close() {
        }
    }

    @Test
    void anAdapterAnswersEachExampleOnceAndLaterCallsReuseTheAnswers() {
        AnswerMemo memo = new AnswerMemo(4, 100);
        CountingScorer scorer = new CountingScorer();

        List<AnswerMemo.Answer> first = memo.answers("a1", scorer, examples("good food", "bad food"));
        List<AnswerMemo.Answer> second = memo.answers("a1", scorer, examples("bad food", "good staff", "good food"));

        assertEquals(List.of(new AnswerMemo.Answer("pos", 0.9), new AnswerMemo.Answer("neg", 0.7)), first);
        assertEquals(List.of("neg", "pos", "pos"), second.stream().map(AnswerMemo.Answer::label).toList());
        assertEquals(List.of("good food", "bad food", "good staff"), scorer.asked, "only the new text ran again");
        assertEquals(3, memo.computed());
        assertEquals(2, memo.reused());
    }

    @Test
    void theSameContentTwiceInOneCallRunsOnce() {
        AnswerMemo memo = new AnswerMemo(1, 100);
        CountingScorer scorer = new CountingScorer();
        List<AnswerMemo.Answer> answers = memo.answers("a1", scorer, examples("good food", "good food"));
        assertEquals(2, answers.size());
        assertEquals(List.of("good food"), scorer.asked);
    }

    @Test
    void answersAreKeptPerAdapterNeverLentToAnother() {
        AnswerMemo memo = new AnswerMemo(4, 100);
        CountingScorer champion = new CountingScorer();
        CountingScorer candidate = new CountingScorer();
        memo.answers("champion", champion, examples("good food"));
        memo.answers("candidate", candidate, examples("good food"));
        assertEquals(List.of("good food"), candidate.asked);
    }

    @Test
    void theLeastRecentlyUsedAdapterIsForgottenBeyondTheLimit() {
        AnswerMemo memo = new AnswerMemo(2, 100);
        CountingScorer a = new CountingScorer();
        CountingScorer b = new CountingScorer();
        memo.answers("a", a, examples("good food"));
        memo.answers("b", b, examples("good food"));
        memo.answers("a", a, examples("good food")); // a is now the most recently used
        memo.answers("c", new CountingScorer(), examples("good food")); // a third adapter: b goes
        memo.answers("a", a, examples("good food"));
        memo.answers("b", b, examples("good food"));
        assertEquals(List.of("good food"), a.asked, "a was kept");
        assertEquals(List.of("good food", "good food"), b.asked, "b was forgotten and answered again");
    }

    @Test
    void anAdapterOverItsAnswerLimitStartsAfreshAndStillAnswersEverything() {
        AnswerMemo memo = new AnswerMemo(1, 2);
        CountingScorer scorer = new CountingScorer();
        memo.answers("a", scorer, examples("good 1", "bad 2"));
        List<AnswerMemo.Answer> answers = memo.answers("a", scorer, examples("good 1", "bad 3"));
        assertEquals(List.of("pos", "neg"), answers.stream().map(AnswerMemo.Answer::label).toList());
        assertEquals(List.of("good 1", "bad 2", "good 1", "bad 3"), scorer.asked);
    }

    @Test
    void aScorerThatLosesAnswersIsAnError() {
        AnswerMemo memo = new AnswerMemo(1, 10);
        AdapterScorer broken = new CountingScorer() {
            @Override
            public List<Map<String, Double>> predict(List<String> texts) {
                return List.of();
            }
        };
        assertThrows(IllegalStateException.class, () -> memo.answers("a", broken, examples("good food")));
    }

    @Test
    void limitsBelowOneAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AnswerMemo(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new AnswerMemo(1, 0));
    }

    static List<CleanExample> examples(String... texts) {
        return java.util.Arrays.stream(texts).map(text -> CleanExample.newBuilder().setId(text).setTask("t")
                .setText(text).setLabel("pos").setSource("s").setOrigin(ExampleOrigin.LABELLED)
                .setEventTime(Instant.EPOCH).setAttributes(Map.of()).setWeight(1.0).setSplit(Split.TEST)
                .setContentHash(text).setWindowId("w").build()).toList();
    }
}
