package dev.streamtune.ingest.clean;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Kinds of personal data the cleaner can mask, each replaced by its placeholder. */
public enum PiiKind {
    EMAIL("[EMAIL]"),
    PHONE("[PHONE]"),
    CARD_NUMBER("[CARD]"),
    IP_ADDRESS("[IP]");

    private final String placeholder;

    PiiKind(String placeholder) {
        this.placeholder = placeholder;
    }

    public String placeholder() {
        return placeholder;
    }

    /** Configuration spelling: {@code email, phone, card-number, ip-address}; {@code none} alone means no masking. */
    public static Set<PiiKind> parseAll(Collection<String> names) {
        Set<PiiKind> kinds = EnumSet.noneOf(PiiKind.class);
        for (String name : names) {
            String normalised = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            if (normalised.equals("NONE") || normalised.isEmpty()) {
                continue;
            }
            try {
                kinds.add(PiiKind.valueOf(normalised));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown PII kind '" + name
                        + "'; use email, phone, card-number, ip-address or none", e);
            }
        }
        return kinds;
    }
}
