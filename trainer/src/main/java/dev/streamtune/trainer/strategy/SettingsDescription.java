package dev.streamtune.trainer.strategy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A settings record as the configuration keys it is bound from ({@code floorFraction} -> {@code floor-fraction})
 * and its values, in declaration order: generated from the record's components, so a field added to a settings
 * record shows up in every candidate's lineage without anyone copying it there.
 */
public final class SettingsDescription {

    private SettingsDescription() {
    }

    /** Keys in the configuration's kebab case (as under {@code trainer.*} in application.yml). */
    public static Map<String, String> configKeys(Record settings) {
        return describe(settings, true);
    }

    /** Keys as the record's component names (camel case), e.g. for a candidate's hyperparameters map. */
    public static Map<String, String> componentNames(Record settings) {
        return describe(settings, false);
    }

    /** {@code floorFraction} -> {@code floor-fraction}. */
    public static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> describe(Record settings, boolean kebab) {
        Map<String, String> map = new LinkedHashMap<>();
        for (RecordComponent component : settings.getClass().getRecordComponents()) {
            try {
                Object value = component.getAccessor().invoke(settings);
                if (value instanceof Record) {
                    continue; // a nested settings record describes itself under its own key
                }
                map.put(kebab ? kebab(component.getName()) : component.getName(), String.valueOf(value));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component.getName() + " of " + settings, e);
            }
        }
        return map;
    }
}
