package dev.streamtune.ingest.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.streamtune.ingest.clean.PiiKind;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Resolves the bound configuration into {@link IngestSettings}: each task's overrides over the defaults. */
@Factory
public class IngestSettingsFactory {

    @Singleton
    IngestSettings ingestSettings(IngestConfig config, List<TaskConfig> tasks) {
        return resolve(config, tasks);
    }

    public static IngestSettings resolve(IngestConfig config, Collection<TaskConfig> tasks) {
        Map<String, TaskRules> rules = new LinkedHashMap<>();
        for (TaskConfig task : tasks) {
            try {
                rules.put(task.name(), resolve(task, config.defaults()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ingest.tasks." + task.name() + ": " + e.getMessage(), e);
            }
        }
        return new IngestSettings(rules, defaults("*", config.defaults()), config.acceptUnknownTasks(),
                config.windowCheckInterval(), config.dedupePurgeInterval(), config.deadLetterMaxBytes());
    }

    static TaskRules resolve(TaskConfig task, IngestConfig.TaskDefaults defaults) {
        List<String> labels = labels(task.labels());
        TaskRules base = defaults(task.name(), defaults).withLabels(labels);
        return new TaskRules(
                task.name(),
                labels,
                or(task.minChars(), base.minChars()),
                or(task.maxChars(), base.maxChars()),
                task.pii() == null ? base.pii() : PiiKind.parseAll(task.pii()),
                or(task.maxFutureSkew(), base.maxFutureSkew()),
                or(task.maxEventAge(), base.maxEventAge()),
                or(task.dedupeHorizon(), base.dedupeHorizon()),
                or(task.trainRatio(), base.trainRatio()),
                or(task.validationRatio(), base.validationRatio()),
                or(task.windowMaxCount(), base.windowMaxCount()),
                or(task.windowMaxAge(), base.windowMaxAge()),
                or(task.feedbackConfirmMinRating(), base.confirmMinRating()),
                or(task.feedbackFlipMaxRating(), base.flipMaxRating()));
    }

    static TaskRules defaults(String task, IngestConfig.TaskDefaults d) {
        return new TaskRules(task, List.of(), d.minChars(), d.maxChars(), PiiKind.parseAll(d.pii()),
                d.maxFutureSkew(), d.maxEventAge(), d.dedupeHorizon(), d.trainRatio(), d.validationRatio(),
                d.windowMaxCount(), d.windowMaxAge(), d.feedbackConfirmMinRating(), d.feedbackFlipMaxRating());
    }

    private static List<String> labels(List<String> configured) {
        if (configured == null || configured.isEmpty()) {
            throw new IllegalArgumentException("labels must list the task's labels");
        }
        List<String> labels = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String label : configured) {
            String clean = label.strip();
            if (clean.isEmpty() || !seen.add(clean.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("labels must be non-blank and distinct ignoring case: "
                        + configured);
            }
            labels.add(clean);
        }
        return labels;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
