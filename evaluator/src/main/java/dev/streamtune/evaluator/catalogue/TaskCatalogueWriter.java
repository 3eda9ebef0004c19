package dev.streamtune.evaluator.catalogue;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.evaluator.EvaluatorService;
import dev.streamtune.schema.TaskDefinition;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task catalogue's one writer. Each command runs on the evaluator's own thread ({@link EvaluatorService#submit}):
 * it computes the next definition from the catalogue as last written ({@link TaskCatalogueCommands}), and the
 * evaluator signs it and writes it with its transactional producer, whose fixed transactional id fences any
 * second evaluator, so there is exactly one writer. Commands run one at a time against a catalogue that already
 * holds every earlier write: two quick changes never both become version N+1.
 *
 * <p>At start it provisions the tasks of {@code evaluator.tasks} that the topic does not have (after the evaluator
 * has replayed the topic, so a task already there is never written over).
 */
@Context
@Requires(property = dev.streamtune.evaluator.EvaluatorService.ENABLED, notEquals = "false")
public final class TaskCatalogueWriter implements dev.streamtune.evaluator.deadletters.LabelAppender {

    private static final Logger LOG = LoggerFactory.getLogger(TaskCatalogueWriter.class);
    /** How long a caller waits for its command: the evaluator's own limit for operator commands. */
    private static final long WAIT_SECONDS = 30;

    private final EvaluatorService service;
    private final Clock clock = Clock.systemUTC();

    public TaskCatalogueWriter(EvaluatorService service, Collection<ConfiguredTask> configured) {
        this.service = service;
        List<NewTask> tasks = configured.stream().map(ConfiguredTask::toNewTask).toList();
        // Fails the start on an invalid configured task, before anything is written.
        TaskCatalogueCommands.bootstrap(TaskCatalogue.empty(), tasks, clock.instant());
        service.submit(operator -> {
            List<TaskDefinition> missing = TaskCatalogueCommands.bootstrap(operator.catalogue(), tasks,
                    clock.instant());
            missing.forEach(operator::define);
            return missing.size();
        }).whenComplete((written, failure) -> {
            if (failure != null) {
                LOG.error("Provisioning the configured tasks failed", failure);
            } else {
                LOG.info("Task catalogue: {} configured task(s) provisioned, {} already defined", written,
                        tasks.size() - written);
            }
        });
    }

    /** Every task as last written, retired ones included. */
    public Collection<TaskDefinition> all() {
        return service.catalogue().all();
    }

    public Optional<TaskDefinition> find(String task) {
        return service.catalogue().find(task);
    }

    public TaskDefinition create(NewTask task, String changedBy) {
        return write(catalogue -> TaskCatalogueCommands.create(catalogue, task, changedBy, clock.instant()));
    }

    /** Appends labels; refusals are {@link TaskChangeRefused} (see {@link #addLabels} for plain exceptions). */
    public TaskDefinition appendLabels(String task, List<String> labels, String changedBy) {
        return write(catalogue -> TaskCatalogueCommands.addLabels(catalogue, task, labels, changedBy,
                clock.instant()));
    }

    /**
     * Appends labels, for callers inside the evaluator (open labels, dead-letter replay).
     *
     * @throws IllegalArgumentException for an unknown task
     * @throws IllegalStateException    when the labels cannot be added (already there, retired, too many, invalid)
     */
    public TaskDefinition addLabels(String task, List<String> labels, String changedBy) {
        try {
            return appendLabels(task, labels, changedBy);
        } catch (TaskChangeRefused refused) {
            if (refused.reason() == TaskChangeRefused.Reason.UNKNOWN_TASK) {
                throw new IllegalArgumentException(refused.getMessage(), refused);
            }
            throw new IllegalStateException(refused.getMessage(), refused);
        }
    }

    public TaskDefinition change(String task, TaskPolicies policies, String changedBy) {
        return write(catalogue -> TaskCatalogueCommands.change(catalogue, task, policies, changedBy,
                clock.instant()));
    }

    public TaskDefinition pause(String task, String changedBy) {
        return write(catalogue -> TaskCatalogueCommands.pause(catalogue, task, changedBy, clock.instant()));
    }

    public TaskDefinition resume(String task, String changedBy) {
        return write(catalogue -> TaskCatalogueCommands.resume(catalogue, task, changedBy, clock.instant()));
    }

    public TaskDefinition retire(String task, String changedBy) {
        return write(catalogue -> TaskCatalogueCommands.retire(catalogue, task, changedBy, clock.instant()));
    }

    /** Whether the evaluator has read the catalogue (and its other topics) to the end; commands wait until then. */
    public boolean ready() {
        return service.caughtUp();
    }

    /**
     * Runs {@code command} on the evaluator's thread against the catalogue held there and writes its result.
     *
     * @throws TaskChangeRefused          the command's refusal (nothing written)
     * @throws CatalogueUnavailableException when the evaluator did not run it in time
     */
    private TaskDefinition write(Function<TaskCatalogue, TaskDefinition> command) {
        try {
            return service.submit(operator -> operator.define(command.apply(operator.catalogue())))
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new CatalogueUnavailableException("the evaluator did not run the command within " + WAIT_SECONDS
                    + " s (still replaying its topics, or the broker is away); it may still be written");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogueUnavailableException("interrupted");
        }
    }

    /** The evaluator could not run a command now: try again (HTTP 503). */
    public static final class CatalogueUnavailableException extends RuntimeException {
        public CatalogueUnavailableException(String message) {
            super(message);
        }
    }
}
