package dev.streamtune.serving.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.Verdict;
import org.junit.jupiter.api.Test;

class DecisionBookTest {

    private static PromotionDecision decision(String id, String candidate, Verdict verdict) {
        return PromotionDecision.newBuilder().setDecisionId(id).setCandidateId(candidate).setTask("t")
                .setVerdict(verdict).setReasons(List.of()).setDecidedBy("gate").setDecidedAt(Instant.EPOCH).build();
    }

    @Test
    void findsDecisionsByIdAndTheLatestApprovalOfAnAdapter() {
        DecisionBook book = new DecisionBook(10);
        book.record(decision("d1", "a1", Verdict.APPROVED));
        book.record(decision("d2", "a1", Verdict.ROLLED_BACK));
        book.record(decision("d3", "a1", Verdict.APPROVED));
        assertEquals(Verdict.ROLLED_BACK, book.byId("d2").orElseThrow().getVerdict());
        assertEquals("d3", book.approvalOf("a1").orElseThrow().getDecisionId());
        assertTrue(book.approvalOf("a2").isEmpty());
    }

    @Test
    void keepsEachTasksLatestRejection() {
        DecisionBook book = new DecisionBook(10);
        assertTrue(book.lastRejectionOf("t").isEmpty());
        book.record(decision("d1", "a1", Verdict.REJECTED));
        book.record(decision("d2", "a2", Verdict.APPROVED));
        book.record(decision("d3", "a3", Verdict.REJECTED));
        assertEquals("d3", book.lastRejectionOf("t").orElseThrow().getDecisionId());
        assertTrue(book.lastRejectionOf("other").isEmpty());
    }

    @Test
    void forgetsTheOldestBeyondItsCapacity() {
        DecisionBook book = new DecisionBook(2);
        book.record(decision("d1", "a1", Verdict.APPROVED));
        book.record(decision("d2", "a2", Verdict.APPROVED));
        book.record(decision("d3", "a3", Verdict.APPROVED));
        assertTrue(book.byId("d1").isEmpty());
        assertTrue(book.approvalOf("a1").isEmpty());
        assertEquals("d3", book.byId("d3").orElseThrow().getDecisionId());
    }
}
