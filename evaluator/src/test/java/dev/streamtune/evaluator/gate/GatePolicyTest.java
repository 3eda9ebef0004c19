package dev.streamtune.evaluator.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;

import dev.streamtune.contract.TaskOverrides;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class GatePolicyTest {

    @Test
    void overridesReplaceOnlyTheirOwnThreshold() {
        GatePolicy policy = GatePolicy.defaults().withOverrides(Map.of("max-calibration-worsening", 0.2,
                "min-test-examples", 50.0));
        GatePolicy defaults = GatePolicy.defaults();
        assertEquals(new GatePolicy(50, defaults.maxQualityDrop(), defaults.minQualityGain(),
                defaults.maxRetentionDrop(), defaults.maxBiasWidening(), defaults.maxAccuracyGap(), 0.2,
                defaults.maxCanaryDisagreement(), defaults.maxQuantisationLoss()), policy);
    }

    @Test
    void noOverridesKeepThePolicy() {
        assertEquals(GatePolicy.defaults(), GatePolicy.defaults().withOverrides(Map.of()));
    }

    @Test
    void everyDeclaredGateOverrideKeyIsApplied() {
        Map<String, Double> all = new HashMap<>();
        TaskOverrides.GATE.forEach(key -> all.put(key, 0.5));
        GatePolicy policy = GatePolicy.defaults().withOverrides(all);
        assertEquals(new GatePolicy(1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5), policy);
    }

    @Test
    void anUnknownKeyIsABug() {
        assertThrows(IllegalArgumentException.class,
                () -> GatePolicy.defaults().withOverrides(Map.of("max-anything", 1.0)));
    }

    @Test
    void theOverridableKeysAreTheEvaluatorsOwnGateSettings() throws Exception {
        // A task may override exactly the thresholds an operator sets in application.yml, under the same names.
        try (InputStream yml = getClass().getResourceAsStream("/application.yml")) {
            Map<String, Object> root = new Yaml().load(yml);
            Map<?, ?> gate = (Map<?, ?>) ((Map<?, ?>) root.get("evaluator")).get("gate");
            assertEquals(TaskOverrides.GATE, new HashSet<>(gate.keySet()));
        }
    }
}
