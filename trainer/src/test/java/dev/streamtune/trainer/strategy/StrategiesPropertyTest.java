package dev.streamtune.trainer.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import org.junit.jupiter.api.Test;

/**
 * How {@code trainer.strategies} reads from the places an operator sets it: the YAML list, a comma-separated
 * override (an environment variable, the bench's properties) and a blank one, which must mean naive.
 */
class StrategiesPropertyTest {

    private static List<String> strategies(Map<String, Object> overrides) {
        try (ApplicationContext context = ApplicationContext.builder().properties(overrides).build()) {
            Environment environment = context.getEnvironment().start();
            List<String> raw = environment.getProperty("trainer.strategies", Argument.listOf(String.class))
                    .orElse(List.of());
            return StrategyRegistry.validated(raw);
        }
    }

    @Test
    void theYamlDefaultIsReplayThenLwfThenWeightAligning() {
        assertEquals(List.of("replay", "lwf", "weight-aligning"), strategies(Map.of()));
    }

    @Test
    void aCommaSeparatedOverrideReplacesTheYamlList() {
        assertEquals(List.of("ewc"), strategies(Map.of("trainer.strategies", "ewc")));
        assertEquals(List.of("ewc", "replay"), strategies(Map.of("trainer.strategies", "ewc, replay")));
    }

    @Test
    void aBlankOverrideIsNaive() {
        assertEquals(List.of(), strategies(Map.of("trainer.strategies", "")));
    }
}
