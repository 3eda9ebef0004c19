package dev.streamtune.serving.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The bearer tokens an endpoint accepts (one per client, so one can be revoked without the others). Only their
 * SHA-256 digests are kept; a presented token is hashed and compared with every digest in constant time, so
 * neither the time taken nor an early exit tells a caller how much of a token, or which token, it got right, and
 * digests of equal length hide the tokens' lengths. Never printed: {@link #toString()} gives only the count.
 */
public final class BearerTokens {

    private static final String SCHEME = "bearer ";

    private final List<byte[]> digests;

    private BearerTokens(List<byte[]> digests) {
        this.digests = digests;
    }

    /** The accepted tokens; null, blank entries and surrounding spaces are ignored. None: {@link #enabled()} is false. */
    public static BearerTokens of(Collection<String> tokens) {
        List<byte[]> digests = new ArrayList<>();
        if (tokens != null) {
            for (String token : tokens) {
                if (token != null && !token.isBlank()) {
                    digests.add(sha256(token.strip()));
                }
            }
        }
        return new BearerTokens(List.copyOf(digests));
    }

    /** Whether any token is configured (none means the endpoints these tokens guard are open, or disabled). */
    public boolean enabled() {
        return !digests.isEmpty();
    }

    /**
     * Whether an {@code Authorization} header value presents one of the tokens ({@code Bearer <token>}, the scheme
     * in any case, as RFC 6750 allows). False for a missing header or when no token is configured.
     */
    public boolean accepts(String authorization) {
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return false;
        }
        byte[] presented = sha256(authorization.substring(SCHEME.length()).strip());
        boolean matched = false;
        for (byte[] digest : digests) {
            matched |= MessageDigest.isEqual(digest, presented);
        }
        return matched;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "BearerTokens[" + digests.size() + " configured]";
    }
}
