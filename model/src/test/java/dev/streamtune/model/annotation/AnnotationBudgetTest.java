package dev.streamtune.model.annotation;

import static dev.streamtune.model.annotation.AnnotationBudget.Decision.ACCEPTED;
import static dev.streamtune.model.annotation.AnnotationBudget.Decision.DUPLICATE;
import static dev.streamtune.model.annotation.AnnotationBudget.Decision.OVER_BUDGET;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AnnotationBudgetTest {

    private static final Instant NINE = Instant.parse("2026-12-01T09:00:00Z");

    private static AnnotationBudget budget(int perHour, int memory) {
        return new AnnotationBudget(new AnnotationPolicy(0.2, 0.05, perHour, memory));
    }

    @Test
    void theHoursBudgetIsAcceptedThenRefused() {
        AnnotationBudget budget = budget(2, 100);
        assertEquals(ACCEPTED, budget.tryAcquire("spam", "one", NINE));
        assertEquals(ACCEPTED, budget.tryAcquire("spam", "two", NINE.plusSeconds(60)));
        assertEquals(OVER_BUDGET, budget.tryAcquire("spam", "three", NINE.plusSeconds(3599)));
    }

    @Test
    void theBudgetIsWholeAgainAtTheNextClockHour() {
        AnnotationBudget budget = budget(1, 100);
        assertEquals(ACCEPTED, budget.tryAcquire("spam", "one", NINE.plusSeconds(3599)));
        assertEquals(OVER_BUDGET, budget.tryAcquire("spam", "two", NINE.plusSeconds(3599)));
        assertEquals(ACCEPTED, budget.tryAcquire("spam", "two", NINE.plusSeconds(3600)),
                "one second later is another clock hour, not 60 minutes after the first request");
    }

    @Test
    void aTextRefusedOverBudgetIsNotRememberedAndMayBeAskedNextHour() {
        AnnotationBudget budget = budget(1, 100);
        budget.tryAcquire("spam", "one", NINE);
        assertEquals(OVER_BUDGET, budget.tryAcquire("spam", "two", NINE));
        assertEquals(ACCEPTED, budget.tryAcquire("spam", "two", NINE.plusSeconds(3600)));
    }

    @Test
    void tasksHaveIndependentBudgetsAndMemories() {
        AnnotationBudget budget = budget(1, 100);
        assertEquals(ACCEPTED, budget.tryAcquire("spam", "hello", NINE));
        assertEquals(OVER_BUDGET, budget.tryAcquire("spam", "other", NINE));
        assertEquals(ACCEPTED, budget.tryAcquire("topics", "hello", NINE), "same text, another task");
    }

    @Test
    void aRepeatedTextIsRefusedAcrossHoursWhateverItsCaseAndSurroundingSpace() {
        AnnotationBudget budget = budget(10, 100);
        assertEquals(ACCEPTED, budget.tryAcquire("spam", "Win a prize", NINE));
        assertEquals(DUPLICATE, budget.tryAcquire("spam", "  win a PRIZE\n", NINE.plusSeconds(86_400)));
        assertEquals(ACCEPTED, budget.tryAcquire("spam", "win a  prize", NINE), "inner spacing is another text");
    }

    @Test
    void aRepeatIsRefusedBeforeTheBudgetAndUsesNoneOfIt() {
        AnnotationBudget budget = budget(2, 100);
        budget.tryAcquire("spam", "one", NINE);
        assertEquals(DUPLICATE, budget.tryAcquire("spam", "one", NINE));
        assertEquals(ACCEPTED, budget.tryAcquire("spam", "two", NINE));
        assertEquals(DUPLICATE, budget.tryAcquire("spam", "two", NINE), "over budget now, but a repeat says so");
    }

    @Test
    void theLeastRecentlyUsedTextIsForgottenFirst() {
        AnnotationBudget budget = budget(100, 2);
        budget.tryAcquire("spam", "a", NINE);
        budget.tryAcquire("spam", "b", NINE);
        assertEquals(DUPLICATE, budget.tryAcquire("spam", "a", NINE)); // a is now more recent than b
        budget.tryAcquire("spam", "c", NINE); // forgets b
        assertEquals(ACCEPTED, budget.tryAcquire("spam", "b", NINE), "b was forgotten"); // forgets a
        assertEquals(DUPLICATE, budget.tryAcquire("spam", "c", NINE));
        assertEquals(ACCEPTED, budget.tryAcquire("spam", "a", NINE), "a went when b came back");
    }

    @Test
    void concurrentRequestsNeverExceedTheBudget() throws InterruptedException {
        AnnotationBudget budget = budget(50, 10_000);
        ConcurrentLinkedQueue<AnnotationBudget.Decision> decisions = new ConcurrentLinkedQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    decisions.add(budget.tryAcquire("spam", "text " + thread + "-" + i, NINE));
                }
            });
        }
        threads.shutdown();
        threads.awaitTermination(30, TimeUnit.SECONDS);
        List<AnnotationBudget.Decision> all = new ArrayList<>(decisions);
        assertEquals(400, all.size());
        assertEquals(50, all.stream().filter(d -> d == ACCEPTED).count());
    }
}
