package dev.streamtune.deploy;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * How Micronaut turns an environment variable into property names: lower case, and each {@code _} either a
 * {@code .} or a {@code -}; {@code TRAINER_GROUP_ID} may set {@code trainer.group-id}, {@code trainer.group.id},
 * {@code trainer-group.id} or {@code trainer-group-id}.
 */
public final class MicronautEnvironment {

    /** Beyond this many words the 2^(n-1) spellings are not worth enumerating; no key here is that deep. */
    private static final int MAX_WORDS = 16;

    private MicronautEnvironment() {
    }

    public static Set<String> propertyNames(String environmentVariable) {
        String[] words = environmentVariable.toLowerCase(Locale.ROOT).split("_", -1);
        Set<String> names = new LinkedHashSet<>();
        if (words.length > MAX_WORDS) {
            return names;
        }
        int separators = words.length - 1;
        for (int mask = 0; mask < (1 << separators); mask++) {
            StringBuilder name = new StringBuilder(words[0]);
            for (int i = 0; i < separators; i++) {
                name.append((mask & (1 << i)) != 0 ? '-' : '.').append(words[i + 1]);
            }
            names.add(name.toString());
        }
        return names;
    }
}
