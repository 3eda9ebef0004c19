package dev.streamtune.launcher.demo;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The demo's operator, who makes one mistake: once the champion has learned the slang era, they approve the task's
 * very first adapter again (trained on gadget reviews only). The gate's verdict is overridden, but the
 * rollout is not: the old adapter goes to a canary like any approval, the users correct its slang answers far
 * more often than the champion's, and the evaluator rolls it back on its own. Calls the evaluator's admin API with
 * the admin token, as {@code ./streamtune tasks} does.
 */
public final class DemoOperator {

    private final URI evaluatorUrl;
    private final String adminToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public DemoOperator(URI evaluatorUrl, String adminToken) {
        this.evaluatorUrl = evaluatorUrl;
        this.adminToken = adminToken;
    }

    /** Approves {@code candidateId} of {@code task} again; the evaluator's answer (status and body). */
    public String approve(String task, String candidateId) throws java.io.IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(evaluatorUrl.resolve("/admin/tasks/"
                                + URLEncoder.encode(task, StandardCharsets.UTF_8) + "/candidates/"
                                + URLEncoder.encode(candidateId, StandardCharsets.UTF_8) + "/approve?by=demo-operator"))
                        .timeout(Duration.ofSeconds(40)).header("Authorization", "Bearer " + adminToken)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() + " " + answer.body();
    }
}
