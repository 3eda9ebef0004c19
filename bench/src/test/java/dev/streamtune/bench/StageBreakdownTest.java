package dev.streamtune.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StageBreakdownTest {

    @Test
    void eachMethodsRowIsTheMeanPerWindowWithADashForStagesItNeverRan() {
        Map<String, List<Map<String, Double>>> byMethod = new LinkedHashMap<>();
        byMethod.put("naive", List.of(Map.of("steps", 4.0), Map.of("steps", 6.0)));
        byMethod.put("lwf", List.of(Map.of("steps", 6.0, "before.lwf", 2.0), Map.of("steps", 8.0)));

        assertEquals("""
                | method | steps | before.lwf | sum |
                |---|---|---|---|
                | naive | 5.00 | - | 5.0 |
                | lwf | 7.00 | 1.00 | 8.0 |
                """, StageBreakdown.table(byMethod));
    }

    @Test
    void noStageTimesNoTable() {
        assertEquals("", StageBreakdown.table(Map.of("naive", List.of(Map.of()))));
    }
}
