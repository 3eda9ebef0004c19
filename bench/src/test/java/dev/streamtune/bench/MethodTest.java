package dev.streamtune.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import dev.streamtune.trainer.strategy.StrategyRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import org.junit.jupiter.api.Test;

class MethodTest {

    @Test
    void eachStreamedMethodNamesItsStrategiesInHookOrder() {
        assertEquals(Map.of("trainer.strategies", ""), Method.NAIVE.trainerProperties());
        assertEquals(Map.of("trainer.strategies", "replay"), Method.REPLAY.trainerProperties());
        assertEquals(Map.of("trainer.strategies", "ewc"), Method.EWC.trainerProperties());
        assertEquals(Map.of("trainer.strategies", "replay,ewc"), Method.REPLAY_EWC.trainerProperties());
        assertEquals(Method.REPLAY_EWC.trainerProperties(), Method.REPLAY_EWC_GROWING.trainerProperties());
        assertTrue(Method.REPLAY_EWC_GROWING.labelsOverTime());
    }

    @Test
    void everyStrategyAMethodNamesIsOneTheTrainerKnows() {
        for (Method method : Method.values()) {
            String names = (String) method.trainerProperties().get("trainer.strategies");
            StrategyRegistry.validated(names.isEmpty() ? List.of() : List.of(names.split(",")));
        }
    }

    @Test
    void theDefaultCombinationIsTheTrainersDefault() throws Exception {
        try (ApplicationContext context = ApplicationContext.builder().build()) {
            List<String> yaml = context.getEnvironment().start().getProperty("trainer.strategies",
                    Argument.listOf(String.class)).orElseThrow();
            assertEquals(String.join(",", yaml),
                    Method.REPLAY_LWF_WEIGHT_ALIGNING.trainerProperties().get("trainer.strategies"));
        }
    }

    @Test
    void everyTechniqueSetsKeysTheTrainerHasOnTheDefaultStrategies() throws Exception {
        // Micronaut ignores a key nobody binds: a misspelt one would silently bench the default.
        try (ApplicationContext context = ApplicationContext.builder().build()) {
            var environment = context.getEnvironment().start();
            for (Method technique : Method.TECHNIQUES) {
                assertEquals(Method.REPLAY_LWF_WEIGHT_ALIGNING.trainerProperties().get("trainer.strategies"),
                        technique.trainerProperties().get("trainer.strategies"), technique.id());
                technique.techniqueSettings().keySet().forEach(key -> assertTrue(
                        environment.getProperty(key, String.class).isPresent(), technique.id() + ": no " + key));
            }
        }
        assertEquals(Method.REPLAY_LWF_WEIGHT_ALIGNING, Method.TECHNIQUES.get(0), "the baseline comes first");
        assertEquals(Method.TECHNIQUES, StreamBench.Options.parse(new String[] {"spam", "--techniques"}).methods());
    }

    @Test
    void jointIsTheTrainersJointStrategy() {
        assertEquals(Map.of("trainer.strategies", "joint"), Method.JOINT.trainerProperties());
    }

    @Test
    void methodsAreNamedAsOnTheCommandLine() {
        assertEquals(Method.REPLAY_EWC_GROWING, Method.named("replay+ewc-growing"));
        assertEquals(Method.REPLAY_LWF_WEIGHT_ALIGNING, Method.named("replay+lwf+weight-aligning"));
        assertThrows(IllegalArgumentException.class, () -> Method.named("icarl"));
    }

    @Test
    void optionsDefaultToEveryStrategyAloneAndThreeSeedsAndQuickToOneSeed() {
        StreamBench.Options full = StreamBench.Options.parse(new String[] {"spam"});
        assertEquals(List.of(Method.NAIVE, Method.REPLAY, Method.EWC, Method.LWF, Method.WEIGHT_ALIGNING,
                Method.REPLAY_LWF_WEIGHT_ALIGNING, Method.JOINT), full.methods());
        assertEquals(List.of(1L, 2L, 3L), full.seeds());
        StreamBench.Options quick = StreamBench.Options.parse(new String[] {"spam", "--quick", "--methods",
                "naive,joint"});
        assertEquals(List.of(1L), quick.seeds());
        assertEquals(1, quick.epochs());
        assertEquals(List.of(4L, 5L), StreamBench.Options.parse(new String[] {"wordnet", "--seeds", "4,5"}).seeds());
    }
}
