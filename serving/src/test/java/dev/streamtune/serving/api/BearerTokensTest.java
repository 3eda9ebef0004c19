package dev.streamtune.serving.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class BearerTokensTest {

    private final BearerTokens tokens = BearerTokens.of(List.of("client-a-secret", " client-b-secret ", ""));

    @Test
    void acceptsEachConfiguredClientsToken() {
        assertTrue(tokens.accepts("Bearer client-a-secret"));
        assertTrue(tokens.accepts("Bearer client-b-secret"));
        assertTrue(tokens.accepts("bearer client-a-secret"), "the scheme is case-insensitive");
    }

    @Test
    void refusesMissingWrongPrefixedAndOtherSchemes() {
        assertFalse(tokens.accepts(null));
        assertFalse(tokens.accepts(""));
        assertFalse(tokens.accepts("Bearer "));
        assertFalse(tokens.accepts("Bearer client-a-secre"));
        assertFalse(tokens.accepts("Bearer client-a-secretX"));
        assertFalse(tokens.accepts("client-a-secret"));
        assertFalse(tokens.accepts("Basic client-a-secret"));
    }

    @Test
    void blankEntriesAreNoTokenAndNoneConfiguredAcceptsNothing() {
        assertFalse(tokens.accepts("Bearer  "), "the blank entry must not become an accepted empty token");
        BearerTokens none = BearerTokens.of(Arrays.asList("", " ", null));
        assertFalse(none.enabled());
        assertFalse(none.accepts("Bearer "));
        assertFalse(BearerTokens.of(null).enabled());
        assertTrue(tokens.enabled());
    }

    @Test
    void neverPrintsTheTokens() {
        assertFalse(tokens.toString().contains("secret"), tokens.toString());
    }
}
