package dev.streamtune.evaluator.deadletters;

import java.util.Optional;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * The token check as tests bind it (the application binds the evaluator's own admin-token check): a plain
 * comparison is enough to drive the controller's answers.
 */
@Singleton
@Requires(property = TestAdminAuthorization.TOKEN_PROPERTY)
final class TestAdminAuthorization implements AdminAuthorization {

    static final String TOKEN_PROPERTY = "test.dead-letters.token";

    private final String token;

    TestAdminAuthorization(@Value("${" + TOKEN_PROPERTY + "}") String token) {
        this.token = token;
    }

    @Override
    public Optional<Refusal> refuse(String authorizationHeader) {
        return ("Bearer " + token).equals(authorizationHeader) ? Optional.empty()
                : Optional.of(new Refusal(401, "Missing or wrong bearer token"));
    }
}
