package dev.streamtune.serving.api;

import dev.streamtune.serving.ServingSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.RouteAttributes;

/**
 * Endpoints marked {@link ClientTokenRequired} (predict and feedback) need {@code Authorization: Bearer <token>}
 * with one of {@code serving.api-tokens} when any is configured (feedback becomes training data, so in production
 * only known clients may send it). Runs after routing, on the matched route, and before the body is read: a caller
 * without a token gets 401 whatever it sent. Open when no token is configured (the local run). Tokens are compared
 * by {@link BearerTokens}, in constant time, and never logged.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class ClientTokenFilter {

    private final BearerTokens tokens;

    ClientTokenFilter(ServingSettings settings) {
        this.tokens = BearerTokens.of(settings.apiTokens());
    }

    @RequestFilter
    @Nullable
    HttpResponse<ApiError> authenticate(HttpRequest<?> request) {
        boolean guarded = RouteAttributes.getRouteMatch(request)
                .map(route -> route.getAnnotationMetadata().hasAnnotation(ClientTokenRequired.class)).orElse(false);
        if (!guarded || !tokens.enabled() || tokens.accepts(request.getHeaders().get(HttpHeaders.AUTHORIZATION))) {
            return null;
        }
        return unauthorized("Missing or wrong bearer token: predict and feedback need "
                + "'Authorization: Bearer <token>' with one of the tokens in SERVING_API_TOKENS");
    }

    /** 401 with the challenge RFC 6750 asks for, and the usual JSON error body. */
    static MutableHttpResponse<ApiError> unauthorized(String message) {
        return HttpResponse.<ApiError>status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"streamtune-serving\"")
                .body(new ApiError(HttpStatus.UNAUTHORIZED.getCode(), message));
    }
}
