package dev.streamtune.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TaskTopicFixture;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Split;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import dev.streamtune.trainer.training.SyntheticTasks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trainer workers sharing a consumer group (and a home volume): each task is trained by exactly one worker, and
 * when a worker leaves, another takes its tasks over.
 */
@WithKafka
class TrainerGroupIT {

    private static final int PARTITIONS = Topics.CLEAN_EXAMPLES.partitions();

    @TempDir
    Path home;

    @Test
    void workersSplitTheTasksAndOneTakesOverWhenTheOtherLeaves(KafkaBroker broker) throws Exception {
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        List<String> tasks = tasksOnDifferentPartitions();
        TaskTopicFixture.publish(broker.bootstrapServers(), keys().signer(SignerRole.EVALUATOR), tasks.stream()
                .map(task -> TaskCatalogue.newTask(task, SyntheticTasks.LABELS, "trainer-group-it", Instant.now()))
                .toArray(TaskDefinition[]::new));
        ApplicationContext first = start(broker, tasks);
        ApplicationContext second = start(broker, tasks);
        try {
            awaitSplit(first, second);
            for (String task : tasks) {
                sendWindow(broker, task, 0);
            }
            List<AdapterCandidate> candidates = WindowRecords.candidates(broker, tasks, 2, Duration.ofMinutes(5));
            assertEquals(2, candidates.size());
            assertEquals(Set.of("cand-" + tasks.get(0) + "-000000", "cand-" + tasks.get(1) + "-000000"),
                    Set.of(candidates.get(0).getCandidateId(), candidates.get(1).getCandidateId()));
            // Each task by the worker owning its partition, and by no other.
            for (String task : tasks) {
                ApplicationContext owner = owns(first, task) ? first : second;
                ApplicationContext other = owner == first ? second : first;
                assertEquals(1.0, trained(owner, task), task + " trained once by its owner");
                assertEquals(0.0, trained(other, task), task + " not trained by the other worker");
            }

            // The owner of the first task leaves; the remaining worker gets its partition and trains its next window.
            String task = tasks.get(0);
            ApplicationContext leaving = owns(first, task) ? first : second;
            ApplicationContext staying = leaving == first ? second : first;
            leaving.close();
            sendWindow(broker, task, 1);
            List<AdapterCandidate> after = WindowRecords.candidates(broker, tasks, 3, Duration.ofMinutes(5));
            assertEquals(3, after.size(), "no window trained twice: " + after.stream()
                    .map(AdapterCandidate::getCandidateId).toList());
            assertEquals("cand-" + task + "-000001", after.get(2).getCandidateId());
            assertEquals(1.0, trained(staying, task), "the remaining worker took the task over");
            assertTrue(owns(staying, task));
        } finally {
            first.close();
            second.close();
        }
    }

    /** Two task names whose records land on different partitions of the work topics. */
    private static List<String> tasksOnDifferentPartitions() {
        String a = "alpha";
        for (String b : List.of("beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta")) {
            if (KafkaClients.partitionOf(a, PARTITIONS) != KafkaClients.partitionOf(b, PARTITIONS)) {
                return List.of(a, b);
            }
        }
        throw new IllegalStateException("no two task names on different partitions");
    }

    private static void awaitSplit(ApplicationContext first, ApplicationContext second) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> a = first.getBean(TrainerService.class).ownedPartitions();
            List<String> b = second.getBean(TrainerService.class).ownedPartitions();
            Set<String> union = new HashSet<>(a);
            union.addAll(b);
            if (!a.isEmpty() && !b.isEmpty() && union.size() == 3 * PARTITIONS && a.size() + b.size() == union.size()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the two workers never split the partitions: "
                + first.getBean(TrainerService.class).ownedPartitions() + " / "
                + second.getBean(TrainerService.class).ownedPartitions());
    }

    private static boolean owns(ApplicationContext worker, String task) {
        return worker.getBean(TrainerService.class).ownedPartitions()
                .contains(Topics.CLEAN_EXAMPLES.name() + "-" + KafkaClients.partitionOf(task, PARTITIONS));
    }

    private static double trained(ApplicationContext worker, String task) {
        return worker.getBean(MeterRegistry.class).counter("trainer_candidates_total", "task", task).count();
    }

    private ApplicationContext start(KafkaBroker broker, List<String> tasks) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap-servers", broker.bootstrapServers(),
                "trainer.group-id", "trainers-under-test",
                "trainer.home", home.toString(),
                "trainer.hyperparameters.max-steps", 6,
                "trainer.hyperparameters.evaluate-every-steps", 6,
                "trainer.hyperparameters.max-sequence-length", 32,
                "trainer.ewc.fisher-samples", 20));
        config.putAll(keys().properties(SignerRole.TRAINER));
        return ApplicationContext.run(config);
    }

    private LocalSigningKeys keys() {
        return LocalSigningKeys.ensure(home.resolve("keys"));
    }

    private static void sendWindow(KafkaBroker broker, String task, int sequence) throws Exception {
        String window = String.format("%s-%06d", task, sequence);
        List<CleanExample> train = new ArrayList<>();
        SyntheticTasks.examples(0, 40, sequence, Split.TRAIN).forEach(e -> train.add(
                CleanExample.newBuilder(e).setTask(task).setWindowId(window).build()));
        List<CleanExample> validation = new ArrayList<>();
        SyntheticTasks.examples(0, 10, sequence + 100, Split.VALIDATION).forEach(e -> validation.add(
                CleanExample.newBuilder(e).setTask(task).setWindowId(window).build()));
        WindowRecords.sendWindow(broker, task, window, sequence, train, validation);
    }
}
