package dev.streamtune.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

import dev.streamtune.trainer.TrainerSettings.Hyperparameters;
import dev.streamtune.trainer.schedule.LearningRateSchedule;
import dev.streamtune.trainer.strategy.SettingsDescription;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import org.junit.jupiter.api.Test;

/** application.yml against the settings records, read as the service reads it (no beans started). */
class TrainerSettingsTest {

    @Test
    void everyHyperparameterHasItsDefaultInApplicationYml() {
        // A key missing there binds as null or 0: for the optimizer that fails start-up, for a number it trains wrong.
        withEnvironment(Map.of(), environment -> {
            for (RecordComponent field : Hyperparameters.class.getRecordComponents()) {
                String key = "trainer.hyperparameters." + SettingsDescription.kebab(field.getName());
                assertTrue(environment.containsProperty(key), key + " missing from application.yml");
            }
        });
    }

    @Test
    void theDefaultOptimizerIsAdamWAndGradualUnfreezingIsOff() {
        withEnvironment(Map.of(), environment -> {
            assertEquals("adamw", environment.getProperty("trainer.hyperparameters.optimizer", String.class)
                    .orElseThrow());
            assertEquals(0.9, environment.getProperty("trainer.hyperparameters.momentum", Double.class).orElseThrow());
            assertEquals(0.99, environment.getProperty("trainer.hyperparameters.rmsprop-alpha", Double.class)
                    .orElseThrow());
            assertEquals(0, environment.getProperty("trainer.hyperparameters.unfreeze-every-steps", Integer.class)
                    .orElseThrow());
        });
        withEnvironment(Map.of("trainer.hyperparameters.optimizer", "sgd"), environment -> assertEquals("sgd",
                environment.getProperty("trainer.hyperparameters.optimizer", String.class).orElseThrow()));
    }

    @Test
    void anUnknownOptimizerOrAMomentumOutOfRangeFailsAtStartUp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hyperparameters("lion", 0.9));
        assertTrue(e.getMessage().contains("unknown optimizer 'lion'; known: [adamw, rmsprop, sgd]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> hyperparameters("sgd", 1.0));
        assertEquals("sgd", hyperparameters("sgd", 0.5).updateRule().name());
    }

    private static Hyperparameters hyperparameters(String optimizer, double momentum) {
        return new Hyperparameters(1e-3, 0, LearningRateSchedule.Decay.CONSTANT, 1.0, 8, 1, 1, 6, 0.01, 0f, 8, 16f,
                List.of("query", "value"), 0, 0, 32, 42, 3, 25, 0, "lora", 0, optimizer, momentum, 0.99, 0);
    }

    private static void withEnvironment(Map<String, Object> overrides,
                                        java.util.function.Consumer<Environment> check) {
        try (ApplicationContext context = ApplicationContext.builder().properties(overrides).build()) {
            Environment environment = context.getEnvironment().start();
            check.accept(environment);
        }
    }
}
