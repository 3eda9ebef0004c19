package dev.streamtune.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class GradualUnfreezingTest {

    private final GradualUnfreezing topTwoEveryTwenty = new GradualUnfreezing(6, 2, 20);

    @Test
    void theTopLayerTrainsAfterKStepsAndTheNextOneDownAfter2K() {
        assertEquals(List.of(5, 4), topTwoEveryTwenty.frozenLayers(0));
        assertEquals(List.of(5, 4), topTwoEveryTwenty.frozenLayers(19));
        assertEquals(List.of(4), topTwoEveryTwenty.frozenLayers(20));
        assertEquals(List.of(4), topTwoEveryTwenty.frozenLayers(39));
        assertEquals(List.of(), topTwoEveryTwenty.frozenLayers(40));
        assertEquals(20, topTwoEveryTwenty.unfreezeStep(5));
        assertEquals(40, topTwoEveryTwenty.unfreezeStep(4));
        assertThrows(IllegalArgumentException.class, () -> topTwoEveryTwenty.unfreezeStep(3));
    }

    @Test
    void describesWhatWasUnfrozenByTheEndOfTheRun() {
        assertEquals("top 2 layers, one every 20 steps; unfrozen at steps [20, 40]", topTwoEveryTwenty.describe(57));
        assertEquals("top 2 layers, one every 20 steps; unfrozen at steps [20]", topTwoEveryTwenty.describe(39));
        assertEquals("top 2 layers, one every 20 steps; unfrozen at steps []", topTwoEveryTwenty.describe(5));
    }

    @Test
    void offWhenKIsZeroOrNoLayerIsCopied() {
        GradualUnfreezing off = new GradualUnfreezing(6, 2, 0);
        assertFalse(off.active());
        assertEquals(List.of(), off.frozenLayers(0));
        assertEquals("", off.describe(100));
        assertFalse(new GradualUnfreezing(6, 0, 20).active());
        assertEquals("", new GradualUnfreezing(6, 0, 20).describe(100));
        assertThrows(IllegalArgumentException.class, () -> new GradualUnfreezing(6, 7, 20));
        assertThrows(IllegalArgumentException.class, () -> new GradualUnfreezing(6, 2, -1));
    }
}
