package dev.streamtune.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ComposeCheckTest {

    private static final Repository REPO = RepositoryFiles.REPOSITORY;

    /** A small compose file that passes; each negative test breaks one thing in it. */
    private static final String VALID = """
            x-streamtune: &streamtune
              build: {context: ., dockerfile: Dockerfile, target: runtime}
              volumes: ["home:/var/lib/streamtune"]
            services:
              kafka:
                image: apache/kafka:4.3.1
                environment:
                  KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka:9092
                healthcheck: {test: ["CMD", "true"]}
              ingest:
                <<: *streamtune
                command: [ingest]
                depends_on: {kafka: {condition: service_healthy}}
                environment: {KAFKA_BOOTSTRAP_SERVERS: "kafka:9092", STREAMTUNE_HOME: /var/lib/streamtune}
                healthcheck: {test: ["CMD", "streamtune-healthcheck", "8081"]}
              trainer:
                <<: *streamtune
                command: [trainer]
                environment: {TRAINER_GROUP_ID: streamtune-trainer, STREAMTUNE_HOME: /var/lib/streamtune}
                healthcheck: {test: ["CMD", "streamtune-healthcheck", "8082"]}
              evaluator:
                <<: *streamtune
                command: [evaluator]
                environment: {EVALUATOR_ADMIN_TOKEN: ""}
                healthcheck: {test: ["CMD", "streamtune-healthcheck", "8083"]}
              serving:
                <<: *streamtune
                command: [serving]
                environment: {EVALUATOR_URL: "http://evaluator:8083"}
                ports: ["8080:8080"]
                healthcheck: {test: ["CMD", "streamtune-healthcheck", "8080"]}
            volumes:
              home:
            """;

    private static Problems check(String yaml) {
        return ComposeCheck.check(RepositoryFiles.compose(yaml), RepositoryFiles.dockerfile(), REPO.dockerfile(),
                RepositoryFiles.configs(), REPO.root());
    }

    private static String replace(String target, String replacement) {
        if (!VALID.contains(target)) {
            throw new IllegalArgumentException("the sample has no " + target);
        }
        return VALID.replace(target, replacement);
    }

    @Test
    void theComposeFileIsConsistent() {
        Problems problems = ComposeCheck.check(RepositoryFiles.compose(), RepositoryFiles.dockerfile(),
                REPO.dockerfile(), RepositoryFiles.configs(), REPO.root());
        assertTrue(problems.isEmpty(), problems::toString);
    }

    @Test
    void theSampleIsValid() {
        Problems problems = check(VALID);
        assertTrue(problems.isEmpty(), problems::toString);
    }

    @Test
    void latestOrUntaggedImagesAreReported() {
        Problems latest = check(replace("apache/kafka:4.3.1", "apache/kafka:latest"));
        assertTrue(latest.mention("services.kafka.image", "not pinned"), latest::toString);
        Problems untagged = check(replace("apache/kafka:4.3.1", "apache/kafka"));
        assertTrue(untagged.mention("services.kafka.image", "not pinned"), untagged::toString);
    }

    @Test
    void aBuildTargetThatIsNoStageIsReported() {
        Problems problems = check(replace("target: runtime", "target: runtme"));
        assertTrue(problems.mention("services.serving.build.target", "runtme is not a stage"), problems::toString);
        Problems otherFile = check(replace("dockerfile: Dockerfile", "dockerfile: Containerfile"));
        assertTrue(otherFile.mention("services.ingest.build.dockerfile", "does not exist"), otherFile::toString);
    }

    @Test
    void anEnvironmentVariableNoConfigurationReadsIsReported() {
        Problems problems = check(replace("EVALUATOR_URL: \"http://evaluator:8083\"",
                "EVALUATOR_URL: \"http://evaluator:8083\", SERVING_BATCH_SIZE: \"8\""));
        assertTrue(problems.mention("services.serving.environment.SERVING_BATCH_SIZE", "serving"),
                problems::toString);
        Problems misplaced = check(replace("EVALUATOR_ADMIN_TOKEN: \"\"", "TRAINER_GROUP_ID: streamtune-trainer"));
        assertTrue(misplaced.mention("services.evaluator.environment.TRAINER_GROUP_ID"), misplaced::toString);
    }

    @Test
    void aServiceLoggingInToKafkaAsAnotherPrincipalOrWithoutPasswordIsReported() {
        Problems borrowed = check(replace("environment: {KAFKA_BOOTSTRAP_SERVERS: \"kafka:9092\",",
                "environment: {KAFKA_BOOTSTRAP_SERVERS: \"kafka:9092\", KAFKA_SECURITY_PROTOCOL: SASL_PLAINTEXT, "
                        + "KAFKA_SASL_USERNAME: evaluator, KAFKA_SASL_PASSWORD: \"${KAFKA_PASSWORD_EVALUATOR}\","));
        assertTrue(borrowed.mention("services.ingest.environment.KAFKA_SASL_USERNAME", "not the ingest principal"),
                borrowed::toString);
        Problems noPassword = check(replace("environment: {KAFKA_BOOTSTRAP_SERVERS: \"kafka:9092\",",
                "environment: {KAFKA_BOOTSTRAP_SERVERS: \"kafka:9092\", KAFKA_SECURITY_PROTOCOL: SASL_PLAINTEXT, "
                        + "KAFKA_SASL_USERNAME: ingest,"));
        assertTrue(noPassword.mention("services.ingest.environment.KAFKA_SASL_PASSWORD", "needs a login"),
                noPassword::toString);
        Problems own = check(replace("environment: {KAFKA_BOOTSTRAP_SERVERS: \"kafka:9092\",",
                "environment: {KAFKA_BOOTSTRAP_SERVERS: \"kafka:9092\", KAFKA_SECURITY_PROTOCOL: SASL_PLAINTEXT, "
                        + "KAFKA_SASL_USERNAME: ingest, KAFKA_SASL_PASSWORD: \"${KAFKA_PASSWORD_INGEST}\","));
        assertTrue(own.isEmpty(), own::toString);
    }

    @Test
    void portsThatAreNotTheServicePortAreReported() {
        Problems healthcheck = check(replace("\"streamtune-healthcheck\", \"8080\"",
                "\"streamtune-healthcheck\", \"8081\""));
        assertTrue(healthcheck.mention("services.serving.healthcheck", "8081", "8080"), healthcheck::toString);
        Problems published = check(replace("\"8080:8080\"", "\"8080:8090\""));
        assertTrue(published.mention("services.serving.ports", "8090"), published::toString);
        Problems url = check(replace("http://evaluator:8083", "http://evaluator:8084"));
        assertTrue(url.mention("services.serving.environment.EVALUATOR_URL", "8084", "8083"), url::toString);
        Problems bootstrap = check(replace("KAFKA_BOOTSTRAP_SERVERS: \"kafka:9092\"",
                "KAFKA_BOOTSTRAP_SERVERS: \"broker:9092\""));
        assertTrue(bootstrap.mention("KAFKA_BOOTSTRAP_SERVERS", "broker is not a compose service"),
                bootstrap::toString);
    }

    @Test
    void aGpuTrainerWithoutProfileOrCpuFallbackIsReported() {
        String gpu = """
                  trainer:
                    <<: *streamtune
                    build: {context: ., dockerfile: Dockerfile, target: trainer-gpu}
                    deploy: {resources: {reservations: {devices: [{driver: nvidia, count: 1, capabilities: [gpu]}]}}}
                """;
        Problems problems = check(replace("  trainer:\n    <<: *streamtune\n", gpu));
        assertTrue(problems.mention("services.trainer", "reserves a GPU but has no profile"), problems::toString);
        assertTrue(problems.mention("every trainer reserves a GPU"), problems::toString);
        Problems cudaWithoutGpu = check(replace("  trainer:\n    <<: *streamtune\n",
                "  trainer:\n    <<: *streamtune\n    build: {context: ., target: trainer-gpu}\n"));
        assertTrue(cudaWithoutGpu.mention("services.trainer", "builds the CUDA stage but reserves no GPU"),
                cudaWithoutGpu::toString);
    }

    @Test
    void missingGroupSharedVolumeOrHealthcheckAreReported() {
        Problems group = check(replace("TRAINER_GROUP_ID: streamtune-trainer, ", ""));
        assertTrue(group.mention("services.trainer.environment", "TRAINER_GROUP_ID"), group::toString);
        Problems paths = check(replace("    command: [serving]\n",
                "    command: [serving]\n    volumes: [\"home:/data\"]\n"));
        assertTrue(paths.mention("different STREAMTUNE_HOME volumes or paths"), paths::toString);
        Problems healthy = check(replace("    healthcheck: {test: [\"CMD\", \"true\"]}\n", ""));
        assertTrue(healthy.mention("services.ingest.depends_on", "kafka", "no healthcheck"), healthy::toString);
        Problems missing = check(replace("  evaluator:\n    <<: *streamtune\n    command: [evaluator]\n",
                "  evaluator:\n    <<: *streamtune\n    command: [evaluater]\n"));
        assertTrue(missing.mention("services.evaluator.command", "evaluater"), missing::toString);
        assertTrue(missing.mention("no service runs evaluator"), missing::toString);
    }
}
