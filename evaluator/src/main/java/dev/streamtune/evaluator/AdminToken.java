package dev.streamtune.evaluator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

/**
 * The evaluator's one admin credential, {@code evaluator.admin-token} ({@code EVALUATOR_ADMIN_TOKEN}), checked the
 * same way by every controller that changes something: 403 when none is configured (the endpoints are off), 401
 * with {@code WWW-Authenticate: Bearer} for a missing or wrong {@code Authorization: Bearer} header.
 */
@Singleton
public final class AdminToken implements dev.streamtune.evaluator.deadletters.AdminAuthorization {

    /** SHA-256 of the token, or null when none is configured; see {@link #matches(String)}. */
    private final byte[] tokenDigest;

    AdminToken(EvaluatorSettings settings) {
        this.tokenDigest = settings.adminToken() == null || settings.adminToken().isBlank() ? null
                : sha256(settings.adminToken().strip());
    }

    /** The answer to a request whose {@code Authorization} header does not carry the token; empty when it does. */
    public Optional<MutableHttpResponse<ErrorView>> refusal(@Nullable String authorization) {
        if (tokenDigest == null) {
            return Optional.of(ErrorView.response(HttpStatus.FORBIDDEN,
                    "Admin endpoints are disabled: set EVALUATOR_ADMIN_TOKEN"));
        }
        if (!matches(authorization)) {
            return Optional.of(ErrorView.response(HttpStatus.UNAUTHORIZED, "Missing or wrong bearer token")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"streamtune-evaluator\""));
        }
        return Optional.empty();
    }

    /** The same check for the dead-letter endpoints, which build their own JSON error. */
    @Override
    public Optional<Refusal> refuse(@Nullable String authorization) {
        return refusal(authorization).map(response -> new Refusal(response.code(),
                response.getBody().map(ErrorView::error).orElse("refused")));
    }

    /**
     * Compares digests, not the tokens: equal lengths, so the comparison's constant time does not end early and
     * reveals neither how much of the token was right nor its length.
     */
    private boolean matches(String authorization) {
        String scheme = "bearer ";
        if (authorization == null || authorization.length() <= scheme.length()
                || !authorization.substring(0, scheme.length()).toLowerCase(Locale.ROOT).equals(scheme)) {
            return false;
        }
        return MessageDigest.isEqual(tokenDigest, sha256(authorization.substring(scheme.length()).strip()));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
