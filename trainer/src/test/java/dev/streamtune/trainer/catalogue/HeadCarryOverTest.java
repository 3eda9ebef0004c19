package dev.streamtune.trainer.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class HeadCarryOverTest {

    private static final List<String> CATALOGUE = List.of("book", "cancel", "refund", "upgrade");

    @Test
    void withoutAnApprovedAdapterTheRoundStartsFresh() {
        assertInstanceOf(HeadCarryOver.Fresh.class, HeadCarryOver.decide(null, CATALOGUE));
    }

    @Test
    void theSameLabelsKeepTheApprovedAdapterAsItIs() {
        assertInstanceOf(HeadCarryOver.Keep.class, HeadCarryOver.decide(CATALOGUE, CATALOGUE));
    }

    @Test
    void appendedLabelsGrowTheApprovedHeadByThoseLabelsInOrder() {
        HeadCarryOver.Grow grow = assertInstanceOf(HeadCarryOver.Grow.class,
                HeadCarryOver.decide(List.of("book", "cancel"), CATALOGUE));
        assertEquals(List.of("refund", "upgrade"), grow.added());
    }

    @Test
    void reorderedRemovedOrForeignLabelsAreRefusedNeverStartedFresh() {
        for (List<String> approved : List.of(List.of("cancel", "book"), List.of("book", "cancel", "refund",
                "upgrade", "extra"), List.of("book", "refund"), List.of("other", "labels"))) {
            HeadCarryOver.Refuse refuse = assertInstanceOf(HeadCarryOver.Refuse.class,
                    HeadCarryOver.decide(approved, CATALOGUE), approved.toString());
            assertTrue(refuse.reason().contains("not a prefix"), refuse.reason());
        }
    }
}
