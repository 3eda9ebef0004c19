package dev.streamtune.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.LoraConfig;
import dev.streamtune.model.peft.BottleneckAdapters;
import dev.streamtune.model.peft.PrefixTuning;
import dev.streamtune.model.peft.PromptTuning;
import org.junit.jupiter.api.Test;

class PeftChoiceTest {

    private static final ClassifierConfig BASE = ClassifierConfig.of(List.of("a", "b"));
    private static final LoraConfig LORA = LoraConfig.defaults().withRank(4, 8f);

    @Test
    void loraKeepsTheConfiguredAdaptersAndRsLoraOnlyChangesTheirScaling() {
        ClassifierConfig lora = PeftChoice.apply(BASE, LORA, "lora", 0);
        assertEquals(LORA, lora.lora());
        assertNull(lora.peft());
        ClassifierConfig rs = PeftChoice.apply(BASE, LORA, "rslora", 0);
        assertEquals(LORA.withRankStabilized(true), rs.lora());
        assertEquals(4f, rs.lora().scaling(), 1e-6);
    }

    @Test
    void anotherMethodReplacesLoraWithItsSizeOrItsDefault() {
        ClassifierConfig adapters = PeftChoice.apply(BASE, LORA, "bottleneck-adapter", 0);
        assertEquals(LoraConfig.none(), adapters.lora());
        assertEquals(new BottleneckAdapters(BottleneckAdapters.DEFAULT_SIZE), adapters.peft());
        assertEquals(new PrefixTuning(7), PeftChoice.apply(BASE, LORA, "prefix-tuning", 7).peft());
        assertEquals(new PromptTuning(20), PeftChoice.apply(BASE, LORA, "prompt-tuning", 20).peft());
    }

    @Test
    void aMisspeltMethodOrANegativeSizeFailsNamingTheMethods() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PeftChoice.validate("prefix", 0));
        assertTrue(e.getMessage().contains("prefix-tuning") && e.getMessage().contains("rslora"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PeftChoice.validate("prompt-tuning", -1));
        PeftChoice.validate("prompt-tuning", 0);
    }
}
