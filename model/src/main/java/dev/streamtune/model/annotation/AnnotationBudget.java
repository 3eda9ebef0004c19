package dev.streamtune.model.annotation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Whether an annotation request may be made: at most {@link AnnotationPolicy#perHourBudget()} per task in each
 * clock hour (a fixed window keyed by the epoch hour of the {@link Instant} the caller passes, so the budget is
 * whole again at the top of the hour), and never the same text twice for a task while it is remembered. A text
 * is remembered by the SHA-256 of its trimmed, lower-cased form; the last {@link AnnotationPolicy#dedupeMemory()}
 * texts are kept across all tasks, the least recently requested or repeated going first. Thread-safe: serving
 * calls it from request threads.
 */
public final class AnnotationBudget {

    /** The answer to one {@link #tryAcquire}. */
    public enum Decision {
        /** Make the request: it counted against this hour's budget and the text is remembered. */
        ACCEPTED,
        /** This task's requests this hour have reached the budget; nothing was counted or remembered. */
        OVER_BUDGET,
        /** The text was already requested for this task (and is still remembered); nothing was counted. */
        DUPLICATE
    }

    private record HourCount(long epochHour, int used) {
    }

    private record Requested(String task, String digest) {
    }

    private final AnnotationPolicy policy;
    private final Map<String, HourCount> hours = new HashMap<>();
    private final LinkedHashMap<Requested, Boolean> remembered;

    public AnnotationBudget(AnnotationPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        int memory = policy.dedupeMemory();
        this.remembered = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Requested, Boolean> eldest) {
                return size() > memory;
            }
        };
    }

    /**
     * Counts a request for {@code text} of {@code task} at {@code now} if it is neither a repeat nor over this
     * hour's budget. A repeat is refused before the budget is looked at, so repeats never use it up.
     */
    public synchronized Decision tryAcquire(String task, String text, Instant now) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(text, "text");
        long epochHour = Math.floorDiv(now.getEpochSecond(), 3600L);
        Requested key = new Requested(task, digest(text));
        if (remembered.get(key) != null) { // get() also marks it recently used: a text that keeps coming back stays
            return Decision.DUPLICATE;
        }
        HourCount count = hours.get(task);
        int used = count != null && count.epochHour() == epochHour ? count.used() : 0;
        if (used >= policy.perHourBudget()) {
            return Decision.OVER_BUDGET;
        }
        hours.put(task, new HourCount(epochHour, used + 1));
        remembered.put(key, Boolean.TRUE);
        return Decision.ACCEPTED;
    }

    public AnnotationPolicy policy() {
        return policy;
    }

    /** Hex SHA-256 of the text trimmed and lower-cased, so case and surrounding whitespace do not make it new. */
    static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(text.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
