package dev.streamtune.contract;

import java.util.Locale;
import java.util.Optional;

import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.TaskDefinition;

/**
 * Who may sign which control record. Each role has its own key pair, so a consumer that trusts only public keys
 * cannot forge anything, and a trainer key cannot sign a deployment.
 */
public enum SignerRole {
    /** Signs {@link AdapterCandidate}s. */
    TRAINER,
    /**
     * Signs {@link PromotionDecision}s, {@link Deployment}s (and so does anything that deploys, like the bench) and
     * {@link TaskDefinition}s: the evaluator is the task catalogue's one writer.
     */
    EVALUATOR;

    /** The role that must have signed a record of this type; empty for types that are not signed. */
    public static Optional<SignerRole> requiredFor(Class<?> recordType) {
        if (recordType == AdapterCandidate.class) {
            return Optional.of(TRAINER);
        }
        if (recordType == PromotionDecision.class || recordType == Deployment.class
                || recordType == TaskDefinition.class) {
            return Optional.of(EVALUATOR);
        }
        return Optional.empty();
    }

    /** As written in key files: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SignerRole parse(String label) {
        try {
            return valueOf(label.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown signer role '" + label + "'; known: trainer, evaluator");
        }
    }
}
