package dev.streamtune.launcher.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code ./streamtune tasks ...}: the task catalogue from the command line, through the evaluator's API
 * ({@code EVALUATOR_URL}, default the local one) with its admin token ({@code EVALUATOR_ADMIN_TOKEN}, else the
 * local run's token file). Human-readable output, or the API's JSON with {@code --json}; an error prints the API's
 * message and exits 1 (2 for a usage error).
 */
public final class TasksCommand {

    public static final String USAGE = """
            Usage: ./streamtune tasks list|show <task>|create <task> --labels a,b [--positive x] [key=value ...]
                                 |add-labels <task> a,b|set <task> key=value ...|pause|resume|retire <task>
                                 |dead-letters <task>|replay <task> --reason <REASON> [--wait <seconds>]
                   options: --by <who> (recorded as changedBy; default $USER), --json (print the API's JSON)
              key=value: positive=<label> ('' clears), window.max-count=<n>, window.max-age=<90s|5m|1h|ms>,
                         text.min-chars=<n>, text.max-chars=<n>, text.overflow=truncate-head|truncate-head-tail|reject,
                         text.max-tokens=<n> (0: the model's limit), pii=email,phone,card-number,ip-address|none,
                         open-labels.min-examples=<n>, open-labels.max-labels=<n>, open-labels=off,
                         gate.<evaluator.gate key or rollout-* key>=<number>,
                         training.<trainer.hyperparameters key>=<value>
                         (an empty value removes an override)
              Environment: EVALUATOR_URL (default http://127.0.0.1:8083), EVALUATOR_ADMIN_TOKEN (default: the run
                           command's $STREAMTUNE_HOME/keys/evaluator-admin.token)""";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One call of the evaluator's API, and whether to print its JSON as it is. */
    public record ApiCall(String method, String path, Optional<JsonNode> body, boolean json) {
    }

    /** A command line that does not make sense; its message says why. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    private TasksCommand() {
    }

    /** Runs {@code ./streamtune tasks <args>}; returns the exit code. */
    public static int run(List<String> args, Map<String, String> env, String defaultEvaluatorUrl, Path keys,
                          PrintStream out, PrintStream err) {
        ApiCall call;
        try {
            call = parse(args, env);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        Optional<String> token = AdminTokenFile.read(keys, env);
        if (token.isEmpty()) {
            err.println("error: no admin token: set " + AdminTokenFile.VARIABLE + " (the evaluator's), or start "
                    + "Streamtune once with ./streamtune, which makes " + keys.resolve(AdminTokenFile.FILE));
            return 1;
        }
        String base = Optional.ofNullable(env.get("EVALUATOR_URL")).map(String::strip).filter(s -> !s.isEmpty())
                .orElse(defaultEvaluatorUrl);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.replaceAll("/+$", "") + call.path()))
                .timeout(Duration.ofSeconds(40)).header("Authorization", "Bearer " + token.get())
                .header("Accept", "application/json");
        request.method(call.method(), call.body().map(b -> {
            request.header("Content-Type", "application/json");
            return HttpRequest.BodyPublishers.ofString(b.toString());
        }).orElse(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("error: cannot reach the evaluator at " + base + " (" + e + "); is Streamtune running?");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        JsonNode body;
        try {
            body = response.body().isBlank() ? NODES.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            body = NODES.textNode(response.body());
        }
        if (response.statusCode() >= 300) {
            err.println("error: " + (body.hasNonNull("error") ? body.get("error").asText() : response.body())
                    + " (HTTP " + response.statusCode() + ")");
            return 1;
        }
        out.println(call.json() ? body.toString() : body.isArray() ? list(body) : task(body));
        return 0;
    }

    /** The API call a command line means. */
    public static ApiCall parse(List<String> args, Map<String, String> env) {
        List<String> rest = new ArrayList<>(args);
        boolean json = rest.remove("--json");
        String by = option(rest, "--by").orElse(env.getOrDefault("USER", "cli"));
        if (rest.isEmpty()) {
            throw new UsageException("which tasks command?");
        }
        String command = rest.remove(0);
        String query = "?by=" + URLEncoder.encode(by, StandardCharsets.UTF_8);
        switch (command) {
            case "list" -> {
                none(rest);
                return new ApiCall("GET", "/tasks", Optional.empty(), json);
            }
            case "show" -> {
                String task = task(rest);
                none(rest);
                return new ApiCall("GET", "/tasks/" + task, Optional.empty(), json);
            }
            case "create" -> {
                String task = task(rest);
                String labels = option(rest, "--labels").orElseThrow(() ->
                        new UsageException("create needs --labels a,b,..."));
                Optional<String> positive = option(rest, "--positive");
                ObjectNode body = settings(rest);
                body.put("task", task);
                body.set("labels", array(labels));
                positive.ifPresent(p -> body.put("positiveLabel", p));
                return new ApiCall("POST", "/tasks" + query, Optional.of(body), json);
            }
            case "add-labels" -> {
                String task = task(rest);
                if (rest.size() != 1) {
                    throw new UsageException("add-labels needs the labels to add, as one comma-separated argument");
                }
                ObjectNode body = NODES.objectNode();
                body.set("labels", array(rest.remove(0)));
                return new ApiCall("POST", "/tasks/" + task + "/labels" + query, Optional.of(body), json);
            }
            case "set" -> {
                String task = task(rest);
                if (rest.isEmpty()) {
                    throw new UsageException("set needs at least one key=value");
                }
                return new ApiCall("PATCH", "/tasks/" + task + query, Optional.of(settings(rest)), json);
            }
            case "pause", "resume", "retire" -> {
                String task = task(rest);
                none(rest);
                return new ApiCall("POST", "/tasks/" + task + "/" + command + query, Optional.empty(), json);
            }
            // The dead-letter answers are reports, not task definitions: printed as the API's JSON.
            case "dead-letters" -> {
                String task = task(rest);
                none(rest);
                return new ApiCall("GET", "/tasks/" + task + "/dead-letters", Optional.empty(), true);
            }
            case "replay" -> {
                String task = task(rest);
                String reason = option(rest, "--reason").orElseThrow(() ->
                        new UsageException("replay needs --reason, e.g. --reason UNKNOWN_LABEL"));
                Optional<String> wait = option(rest, "--wait");
                none(rest);
                String path = "/tasks/" + task + "/dead-letters/replay?reason="
                        + URLEncoder.encode(reason, StandardCharsets.UTF_8)
                        + wait.map(w -> "&wait=" + URLEncoder.encode(w, StandardCharsets.UTF_8)).orElse("");
                return new ApiCall("POST", path, Optional.empty(), true);
            }
            default -> throw new UsageException("unknown tasks command '" + command + "'");
        }
    }

    /** key=value settings as the API's policy fields; consumes every remaining argument. */
    static ObjectNode settings(List<String> rest) {
        ObjectNode body = NODES.objectNode();
        for (Iterator<String> it = rest.iterator(); it.hasNext(); ) {
            String setting = it.next();
            it.remove();
            int eq = setting.indexOf('=');
            if (eq < 1) {
                throw new UsageException("expected key=value, not '" + setting + "'");
            }
            String key = setting.substring(0, eq);
            String value = setting.substring(eq + 1);
            switch (key) {
                case "positive" -> body.put("positiveLabel", value);
                case "window.max-count" -> object(body, "window").put("maxCount", integer(key, value));
                case "window.max-age" -> object(body, "window").put("maxAgeMillis", millis(key, value));
                case "text.min-chars" -> object(body, "text").put("minChars", integer(key, value));
                case "text.max-chars" -> object(body, "text").put("maxChars", integer(key, value));
                case "text.overflow" -> object(body, "text").put("overflow", value);
                case "text.max-tokens" -> object(body, "text").put("maxTokens", integer(key, value));
                case "pii" -> body.set("pii", value.equals("none") ? NODES.arrayNode() : array(value));
                case "open-labels" -> {
                    if (!value.equals("off")) {
                        throw new UsageException("open-labels=off turns them off; turn them on with "
                                + "open-labels.min-examples=<n> open-labels.max-labels=<n>");
                    }
                    object(body, "openLabels").put("enabled", false);
                }
                case "open-labels.min-examples" -> object(body, "openLabels").put("minExamples", integer(key, value));
                case "open-labels.max-labels" -> object(body, "openLabels").put("maxLabels", integer(key, value));
                default -> {
                    if (key.startsWith("gate.") && key.length() > 5) {
                        ObjectNode gate = object(body, "gateOverrides");
                        if (value.isEmpty()) {
                            gate.putNull(key.substring(5));
                        } else {
                            gate.put(key.substring(5), number(key, value));
                        }
                    } else if (key.startsWith("training.") && key.length() > 9) {
                        ObjectNode training = object(body, "trainingOverrides");
                        if (value.isEmpty()) {
                            training.putNull(key.substring(9));
                        } else {
                            training.put(key.substring(9), value);
                        }
                    } else {
                        throw new UsageException("unknown setting '" + key + "'");
                    }
                }
            }
        }
        return body;
    }

    /** One task, for people. */
    public static String task(JsonNode t) {
        StringBuilder text = new StringBuilder();
        text.append(t.path("task").asText()).append("  v").append(t.path("version").asLong()).append("  ")
                .append(t.path("state").asText()).append('\n');
        text.append("  labels       ").append(join(t.path("labels")));
        if (t.hasNonNull("positiveLabel")) {
            text.append("  (positive: ").append(t.get("positiveLabel").asText()).append(')');
        }
        text.append('\n');
        JsonNode window = t.path("window");
        text.append("  window       ").append(window.path("maxCount").asLong() == 0 ? "" :
                window.path("maxCount").asLong() + " examples").append(window.path("maxCount").asLong() != 0
                && window.path("maxAgeMillis").asLong() != 0 ? " or " : "")
                .append(window.path("maxAgeMillis").asLong() == 0 ? "" :
                        Duration.ofMillis(window.path("maxAgeMillis").asLong()).toString().substring(2).toLowerCase(
                                Locale.ROOT)).append('\n');
        JsonNode textPolicy = t.path("text");
        text.append("  text         ").append(textPolicy.path("minChars").asInt()).append('-')
                .append(textPolicy.path("maxChars").asInt()).append(" characters, longer: ")
                .append(textPolicy.path("overflow").asText().toLowerCase(Locale.ROOT).replace('_', '-'))
                .append(", ").append(textPolicy.path("maxTokens").asInt() == 0 ? "the model's token limit"
                        : textPolicy.path("maxTokens").asInt() + " tokens").append('\n');
        text.append("  pii masked   ").append(t.path("pii").isEmpty() ? "none" : join(t.path("pii"))).append('\n');
        JsonNode open = t.path("openLabels");
        text.append("  open labels  ").append(open.isObject() ? "added after " + open.path("minExamples").asInt()
                + " examples, up to " + open.path("maxLabels").asInt() + " labels" : "off").append('\n');
        text.append("  gate         ").append(pairs(t.path("gateOverrides"))).append('\n');
        text.append("  training     ").append(pairs(t.path("trainingOverrides"))).append('\n');
        text.append("  changed      ").append(t.path("changedAt").asText()).append(" by ")
                .append(t.path("changedBy").asText()).append(": ").append(t.path("change").asText());
        return text.toString();
    }

    /** Every task, one line each, for people. */
    public static String list(JsonNode tasks) {
        if (tasks.isEmpty()) {
            return "no tasks";
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode t : tasks) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(String.format(Locale.ROOT, "%-20s v%-4d %-8s %s", t.path("task").asText(),
                    t.path("version").asLong(), t.path("state").asText(), join(t.path("labels"))));
        }
        return text.toString();
    }

    private static String join(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(item -> items.add(item.asText()));
        return String.join(", ", items);
    }

    private static String pairs(JsonNode map) {
        if (map.isEmpty()) {
            return "defaults";
        }
        List<String> items = new ArrayList<>();
        map.fields().forEachRemaining(e -> items.add(e.getKey() + "=" + e.getValue().asText()));
        return String.join(", ", items);
    }

    private static ObjectNode object(ObjectNode body, String field) {
        return body.has(field) ? (ObjectNode) body.get(field) : body.putObject(field);
    }

    private static ArrayNode array(String commaSeparated) {
        ArrayNode array = NODES.arrayNode();
        Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(array::add);
        if (array.isEmpty()) {
            throw new UsageException("no labels in '" + commaSeparated + "'");
        }
        return array;
    }

    private static String task(List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new UsageException("which task?");
        }
        return URLEncoder.encode(rest.remove(0), StandardCharsets.UTF_8);
    }

    private static Optional<String> option(List<String> rest, String name) {
        int at = rest.indexOf(name);
        if (at < 0) {
            return Optional.empty();
        }
        if (at + 1 >= rest.size()) {
            throw new UsageException(name + " needs a value");
        }
        rest.remove(at);
        return Optional.of(rest.remove(at));
    }

    private static void none(List<String> rest) {
        if (!rest.isEmpty()) {
            throw new UsageException("unexpected arguments " + rest);
        }
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(key + " must be a whole number, not '" + value + "'");
        }
    }

    private static double number(String key, String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(key + " must be a number, not '" + value + "'");
        }
    }

    /** 90s, 5m, 1h, 500ms, or a plain number of milliseconds. */
    static long millis(String key, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Long.parseLong(v.substring(0, v.length() - 2));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1))).toMillis();
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1))).toMillis();
            }
            if (v.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1))).toMillis();
            }
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(key + " must be a duration like 90s, 5m, 1h or 500ms, not '" + value + "'");
        }
    }
}
