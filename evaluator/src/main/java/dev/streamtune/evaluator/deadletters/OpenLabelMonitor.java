package dev.streamtune.evaluator.deadletters;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.streamtune.contract.ReasonCode;
import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TaskCatalogueFollower;
import dev.streamtune.kafka.TopicFollower;
import dev.streamtune.schema.RejectedRecord;
import dev.streamtune.schema.TaskDefinition;
import io.micronaut.serde.annotation.Serdeable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows examples.rejected: counts every task's dead letters (for {@code GET /tasks/{task}/dead-letters}) and runs
 * open-label tasks. For a task whose definition has {@code openLabels}, the examples of an unknown label wait as
 * {@code UNKNOWN_LABEL} dead letters ({@link OpenLabelTally} counts them); once a label has
 * {@code openLabels.minExamples} of them and the task has room under {@code openLabels.maxLabels}, the monitor
 * appends it through the catalogue's writer ({@link LabelAppender}, recorded as changed by {@value #CHANGED_BY}),
 * waits {@code replay-delay} for ingest to follow the catalogue, and replays the task's {@code UNKNOWN_LABEL} dead
 * letters ({@link DeadLetterReplayer}: once each), so the waiting examples are trained. Labels beyond the cap stay
 * dead letters; they are logged once and listed by the dead-letter endpoint.
 *
 * <p>Counts are rebuilt from the topic at each start (it is read from the beginning). An example of an added label
 * dead-lettered anyway (ingest had not read the new definition yet, or the evaluator stopped between adding and
 * replaying) triggers another replay of the task, at most {@code max-follow-up-replays} after each addition; since
 * a replay sends each dead letter once, a replay with nothing new to send does nothing.
 */
public final class OpenLabelMonitor implements AutoCloseable {

    /** The {@code changedBy} of definitions the monitor writes. */
    public static final String CHANGED_BY = "open-labels";

    private static final Logger LOG = LoggerFactory.getLogger(OpenLabelMonitor.class);

    /** What the dead-letter endpoint shows of a task's open labels. */
    @Serdeable
    public record OpenLabelView(boolean enabled, Map<String, Integer> waiting, List<String> overCap) {
    }

    private final TaskCatalogueFollower catalogue;
    private final DeadLetterReplayer replayer;
    private final Optional<LabelAppender> appender;
    private final DeadLetterSettings.OpenLabels settings;
    private final DeadLetterCounts counts;
    private final OpenLabelTally tally;
    private final TopicFollower follower;
    private final ExecutorService actions;
    /** Guarded by this: labels being added, queued replays, follow-ups since the last addition, logged caps. */
    private final Map<String, Set<String>> adding = new HashMap<>();
    private final Set<String> replayQueued = new HashSet<>();
    private final Map<String, Integer> followUps = new HashMap<>();
    private final Map<String, List<String>> overCap = new HashMap<>();
    private final Set<String> needsReplay = new HashSet<>();

    public OpenLabelMonitor(KafkaConnection kafka, RecordVerifier verifier, TaskCatalogueFollower catalogue,
                            DeadLetterReplayer replayer, Optional<LabelAppender> appender,
                            DeadLetterSettings.OpenLabels settings) {
        this.catalogue = catalogue;
        this.replayer = replayer;
        this.appender = appender;
        this.settings = settings;
        this.counts = new DeadLetterCounts(settings.labelsPerTask());
        this.tally = new OpenLabelTally(settings.idsPerLabel(), settings.labelsPerTask());
        this.actions = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "evaluator-open-labels");
            thread.setDaemon(true);
            return thread;
        });
        this.follower = new TopicFollower("evaluator-dead-letters", kafka, List.of(Topics.REJECTED_RECORDS),
                topic -> null, verifier, new TopicFollower.Handler() {
                    @Override
                    public void handle(TopicSpec topic, Object value, Instant timestamp) {
                        letter((RejectedRecord) value);
                    }

                    @Override
                    public void caughtUp() {
                        // Decide only on the catalogue as it is: a label added before a restart must be known first.
                        try {
                            catalogue.awaitCaughtUp(java.time.Duration.ofMinutes(5));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        LOG.info("Dead letters read; open-label tasks are {}", settings.enabled() && appender.isPresent()
                                ? "on" : "off (" + (settings.enabled() ? "no catalogue writer" : "disabled") + ")");
                        reviewAll();
                    }
                });
        catalogue.onChange(definition -> {
            if (follower.caughtUp()) {
                review(definition.getTask());
            }
        });
    }

    public OpenLabelMonitor start() {
        follower.start();
        return this;
    }

    /** Whether the dead letters and the catalogue have been read to the end they had at start. */
    public boolean caughtUp() {
        return follower.caughtUp() && catalogue.caughtUp();
    }

    /** The task as the catalogue defines it now. */
    public Optional<TaskDefinition> definition(String task) {
        return catalogue.current().find(task);
    }

    /** The task's dead-letter counts. */
    public DeadLetterCounts.TaskCounts counts(String task) {
        return counts.of(task);
    }

    /** The task's waiting labels and those the cap keeps out. */
    public synchronized OpenLabelView openLabels(String task) {
        boolean enabled = catalogue.current().find(task).map(d -> d.getOpenLabels() != null).orElse(false);
        return new OpenLabelView(enabled, tally.waiting(task), overCap.getOrDefault(task, List.of()));
    }

    /** On the follower's thread. */
    private synchronized void letter(RejectedRecord letter) {
        counts.count(letter.getTask(), letter.getReasonCode(), letter.getLabel());
        if (!ReasonCode.UNKNOWN_LABEL.name().equals(letter.getReasonCode()) || letter.getTask() == null) {
            return;
        }
        String task = letter.getTask();
        TaskDefinition definition = catalogue.current().find(task).orElse(null);
        OpenLabelTally.Counted counted = tally.count(letter.getReasonCode(), task, letter.getLabel(),
                OriginalRecord.idOf(letter).orElse(null), definition);
        boolean open = definition != null && definition.getOpenLabels() != null;
        if (counted == OpenLabelTally.Counted.LABEL_NOW_KNOWN && open) {
            needsReplay.add(task);
        }
        if (follower.caughtUp()) {
            review(task);
        }
    }

    private synchronized void reviewAll() {
        catalogue.current().all().forEach(definition -> review(definition.getTask()));
    }

    /** Acts on what the tally and the definition say now: add labels, or replay examples of added ones. */
    private synchronized void review(String task) {
        if (!catalogue.caughtUp()) {
            return; // reviewAll runs once it has been read
        }
        Optional<TaskDefinition> found = catalogue.current().find(task);
        found.ifPresent(tally::settle);
        if (found.isEmpty() || found.get().getOpenLabels() == null || !settings.enabled() || appender.isEmpty()) {
            return;
        }
        TaskDefinition definition = found.get();
        Set<String> known = new HashSet<>();
        definition.getLabels().forEach(l -> known.add(l.toLowerCase(Locale.ROOT)));
        Set<String> pending = adding.computeIfAbsent(task, t -> new HashSet<>());
        pending.removeIf(known::contains); // the catalogue has them now
        OpenLabelTally.Decision decision = tally.decide(definition);
        List<String> add = new ArrayList<>();
        for (String label : decision.add()) {
            if (!pending.contains(label.toLowerCase(Locale.ROOT))) {
                add.add(label);
            }
        }
        if (pending.isEmpty() && !add.isEmpty()) {
            add.forEach(l -> pending.add(l.toLowerCase(Locale.ROOT)));
            followUps.put(task, 0);
            needsReplay.remove(task);
            actions.submit(() -> addThenReplay(task, add));
        } else if (needsReplay.contains(task) && pending.isEmpty()
                && followUps.getOrDefault(task, 0) < settings.maxFollowUpReplays()) {
            needsReplay.remove(task);
            followUps.merge(task, 1, Integer::sum);
            queueReplay(task);
        }
        List<String> capped = decision.overCap();
        if (!capped.isEmpty() && !capped.equals(overCap.get(task))) {
            LOG.warn("Task {} has {} of at most {} labels: {} keep waiting as dead letters", task,
                    definition.getLabels().size(), definition.getOpenLabels().getMaxLabels(), capped);
        }
        overCap.put(task, capped);
    }

    /** On the actions thread. */
    private void addThenReplay(String task, List<String> labels) {
        try {
            TaskDefinition written = appender.get().addLabels(task, labels, CHANGED_BY);
            LOG.info("Open labels: added {} to task {} (now version {})", labels, task, written.getVersion());
        } catch (RuntimeException e) {
            LOG.warn("Open labels: could not add {} to task {}: {}", labels, task, e.getMessage());
            synchronized (this) {
                adding.getOrDefault(task, new HashSet<>()).clear();
            }
            return;
        }
        synchronized (this) {
            replayQueued.add(task);
        }
        replayAfterDelay(task);
    }

    private synchronized void queueReplay(String task) {
        if (replayQueued.add(task)) {
            actions.submit(() -> replayAfterDelay(task));
        }
    }

    /** On the actions thread: lets ingest follow the catalogue first, then replays (retried a few times). */
    private void replayAfterDelay(String task) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                TimeUnit.MILLISECONDS.sleep(settings.replayDelay().toMillis());
                synchronized (this) {
                    replayQueued.remove(task);
                }
                ReplayReport report = replayer.replay(task, ReasonCode.UNKNOWN_LABEL, Duration.ZERO);
                LOG.info("Open labels: replayed {} waiting examples of task {}", report.replayed(), task);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("Open labels: replay of task {} failed (attempt {}): {}", task, attempt, e.toString());
            }
        }
    }

    /** Stops the monitor and the catalogue follower it was given (it owns it). */
    @Override
    public void close() {
        actions.shutdownNow();
        follower.close();
        catalogue.close();
    }
}
