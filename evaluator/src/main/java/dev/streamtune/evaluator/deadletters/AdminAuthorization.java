package dev.streamtune.evaluator.deadletters;

import java.util.Optional;

/**
 * The evaluator's admin bearer-token check ({@code evaluator.admin-token}), as the dead-letter endpoints need it:
 * bound to the evaluator's one token check, so the token is compared in one place.
 */
public interface AdminAuthorization {

    /** Why the caller may not use an admin endpoint, or empty when it may. */
    Optional<Refusal> refuse(String authorizationHeader);

    /**
     * @param status  401 (missing or wrong token) or 403 (admin endpoints disabled)
     * @param message for the JSON error body
     */
    record Refusal(int status, String message) {
    }
}
