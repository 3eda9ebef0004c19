package dev.streamtune.contract;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks who wrote a control record before anything acts on it: a candidate must carry a valid signature by a
 * trusted trainer key, a decision or deployment one by a trusted evaluator key. A record that fails is ignored:
 * logged (where it was and why, never its content) and counted on {@value #REJECTED_METER}{topic, reason}.
 * Thread-safe.
 */
public final class RecordVerifier {

    /** Micrometer counter of records ignored because their origin or identity could not be trusted. */
    public static final String REJECTED_METER = "streamtune.records.rejected";

    private static final Logger LOG = LoggerFactory.getLogger(RecordVerifier.class);
    /** Rejections logged one by one; after that every 1000th (an attacker must not fill the disk). */
    private static final long LOGGED_INDIVIDUALLY = 20;

    /** Why a record was not acted on; {@link #tag()} is the meter's reason tag. */
    public enum Rejection {
        NOT_SIGNED("not signed"),
        UNKNOWN_KEY("signed by an unknown key"),
        WRONG_SIGNER("signed by a key of another role"),
        BAD_SIGNATURE("signature does not match the content"),
        REUSED_ID("reuses the id of another record");

        private final String message;

        Rejection(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Told about every rejection (the services count them on {@link #REJECTED_METER}). */
    public interface Rejections {
        void rejected(String topic, Rejection reason);

        Rejections NONE = (topic, reason) -> {
        };
    }

    private final TrustedKeys keys;
    private final Rejections rejections;
    private final AtomicLong rejected = new AtomicLong();

    public RecordVerifier(TrustedKeys keys, Rejections rejections) {
        this.keys = keys;
        this.rejections = rejections;
    }

    /** Why {@code value} must not be acted on, or empty when it may (also for record types that are not signed). */
    public Optional<Rejection> check(Object value) {
        if (!(value instanceof SpecificRecord record)) {
            return Optional.empty();
        }
        Optional<SignerRole> required = SignerRole.requiredFor(record.getClass());
        if (required.isEmpty()) {
            return Optional.empty();
        }
        String keyId = SignedContent.keyId(record);
        byte[] signature = SignedContent.signature(record);
        if (keyId == null || signature == null) {
            return Optional.of(Rejection.NOT_SIGNED);
        }
        Optional<TrustedKey> key = keys.get(keyId);
        if (key.isEmpty()) {
            return Optional.of(Rejection.UNKNOWN_KEY);
        }
        if (key.get().role() != required.get()) {
            return Optional.of(Rejection.WRONG_SIGNER);
        }
        try {
            Signature verifier = Signature.getInstance(SigningKey.ALGORITHM);
            verifier.initVerify(key.get().publicKey());
            verifier.update(SignedContent.of(record));
            return verifier.verify(signature) ? Optional.empty() : Optional.of(Rejection.BAD_SIGNATURE);
        } catch (GeneralSecurityException | IllegalArgumentException malformed) {
            return Optional.of(Rejection.BAD_SIGNATURE);
        }
    }

    /**
     * True when {@code value}, read from {@code topic} at {@code where} (partition@offset), may be acted on;
     * otherwise reports the rejection and returns false.
     */
    public boolean admits(String topic, Object value, String where) {
        Optional<Rejection> rejection = check(value);
        rejection.ifPresent(reason -> reject(topic, value, where, reason));
        return rejection.isEmpty();
    }

    /** Reports a record ignored for {@code reason} (also for reasons found by the caller, like a reused id). */
    public void reject(String topic, Object value, String where, Rejection reason) {
        long count = rejected.incrementAndGet();
        if (count <= LOGGED_INDIVIDUALLY || count % 1000 == 0) {
            // The type, place and reason only: the record's fields are whatever its unknown author wrote.
            LOG.warn("Ignoring a {} on {} at {}: {} ({} rejected so far)", value.getClass().getSimpleName(), topic,
                    where, reason.message(), count);
        }
        rejections.rejected(topic, reason);
    }
}
