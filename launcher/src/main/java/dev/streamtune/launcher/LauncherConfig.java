package dev.streamtune.launcher;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the run command can be told, read once from the environment.
 *
 * @param kafkaBootstrapServers an external cluster; empty means "start a local broker"
 * @param home                  the one directory holding all local state (broker data, checkpoints, adapters)
 * @param localKafkaPort        client port of the local broker; its controller takes the next one
 * @param localKafkaHeap        heap of the local broker process
 * @param services              which services to start, by name
 * @param servicesHost          where the launcher reaches the services it starts: the address they listen on
 *                              ({@code STREAMTUNE_BIND_HOST}, which they read themselves), or loopback when that is
 *                              unset or every interface
 * @param evaluatorUrl          where serving forwards operator commands: {@code EVALUATOR_URL}, or the evaluator
 *                              this launcher starts
 * @param clientToken           a token of {@code SERVING_API_TOKENS} for the demo's predict and feedback calls
 * @param demo                  the generated traffic of {@code --demo}
 * @param localKafkaAuth        whether the local broker requires SASL/SCRAM logins and enforces ACLs
 */
public record LauncherConfig(Optional<String> kafkaBootstrapServers, Path home, int localKafkaPort,
                             String localKafkaHeap, List<String> services, String servicesHost, String evaluatorUrl,
                             Optional<String> clientToken, Demo demo, boolean localKafkaAuth) {

    /**
     * @param examplesPerSecond    labelled examples the demo's annotators produce
     * @param eraLength            examples per era of the drifting stream
     * @param predictionsPerSecond predict calls the demo's users make (each wrong answer is corrected)
     */
    public record Demo(double examplesPerSecond, int eraLength, double predictionsPerSecond) {
    }

    /** Without the client token, which must never reach a log. */
    @Override
    public String toString() {
        return "LauncherConfig[kafkaBootstrapServers=" + kafkaBootstrapServers + ", home=" + home + ", localKafkaPort="
                + localKafkaPort + ", localKafkaHeap=" + localKafkaHeap + ", services=" + services + ", servicesHost="
                + servicesHost + ", evaluatorUrl=" + evaluatorUrl + ", clientToken="
                + (clientToken.isPresent() ? "set" : "unset") + ", demo=" + demo + "]";
    }

    static final String ALL_SERVICES = "ingest,trainer,evaluator,serving";

    /** Addresses that mean "every interface": the services are then reached on loopback. */
    private static final List<String> WILDCARDS = List.of("0.0.0.0", "::", "[::]");

    public static LauncherConfig fromEnvironment(Map<String, String> env) {
        String bindHost = env.getOrDefault("STREAMTUNE_BIND_HOST", "").strip();
        String servicesHost = bindHost.isEmpty() || WILDCARDS.contains(bindHost) ? "127.0.0.1"
                : bindHost.contains(":") && !bindHost.startsWith("[") ? "[" + bindHost + "]" : bindHost;
        int evaluatorPort = Streamtune.service("evaluator").port();
        return new LauncherConfig(
                Optional.ofNullable(env.get("KAFKA_BOOTSTRAP_SERVERS")).map(String::strip).filter(s -> !s.isEmpty()),
                Path.of(env.getOrDefault("STREAMTUNE_HOME", "data")).toAbsolutePath().normalize(),
                parsePort(env.getOrDefault("STREAMTUNE_KAFKA_PORT", "9092")),
                env.getOrDefault("STREAMTUNE_KAFKA_HEAP", "512m"),
                Arrays.stream(env.getOrDefault("STREAMTUNE_SERVICES", ALL_SERVICES).split(","))
                        .map(String::strip).filter(s -> !s.isEmpty()).toList(),
                servicesHost,
                Optional.ofNullable(env.get("EVALUATOR_URL")).map(String::strip).filter(s -> !s.isEmpty())
                        .orElse("http://" + servicesHost + ":" + evaluatorPort),
                Arrays.stream(env.getOrDefault("SERVING_API_TOKENS", "").split(",")).map(String::strip)
                        .filter(s -> !s.isEmpty()).findFirst(),
                new Demo(positive(env, "STREAMTUNE_DEMO_RATE", "15"),
                        (int) positive(env, "STREAMTUNE_DEMO_ERA_LENGTH", "4500"),
                        positive(env, "STREAMTUNE_DEMO_PREDICTIONS", "4")),
                localKafkaAuth(env.getOrDefault(KAFKA_AUTH, "off")));
    }

    /** Off by default so a plain client (kcat) can produce without credentials; {@code scram} turns it on. */
    static final String KAFKA_AUTH = "STREAMTUNE_KAFKA_AUTH";

    private static boolean localKafkaAuth(String value) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "", "off", "none" -> false;
            case "scram" -> true;
            default -> throw new IllegalArgumentException(KAFKA_AUTH + " must be 'scram' or 'off', not '" + value + "'");
        };
    }

    private static double positive(Map<String, String> env, String name, String fallback) {
        String value = env.getOrDefault(name, fallback);
        try {
            double number = Double.parseDouble(value.strip());
            if (number > 0 && Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(name + " must be a positive number, not '" + value + "'");
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port > 0 && port < 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("STREAMTUNE_KAFKA_PORT must be a port number below 65535, not '" + value + "'");
    }
}
