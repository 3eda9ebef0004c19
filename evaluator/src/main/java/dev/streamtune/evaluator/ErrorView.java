package dev.streamtune.evaluator;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.Serdeable;

/** Every error the evaluator's API answers: {@code {"error": "what was wrong"}}, with the status code. */
@Serdeable
public record ErrorView(String error) {

    public static MutableHttpResponse<ErrorView> response(HttpStatus status, String message) {
        return HttpResponse.<ErrorView>status(status).body(new ErrorView(message));
    }
}
