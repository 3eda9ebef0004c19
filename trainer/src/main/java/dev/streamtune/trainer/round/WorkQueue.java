package dev.streamtune.trainer.round;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.trainer.catalogue.RoundReadiness;
import dev.streamtune.trainer.window.WindowAssembler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of the partitions a trainer worker owns, and when a round is due: examples and manifests go in, complete
 * windows gather per task, and {@link #next} hands out a task's windows once there are {@code windows-per-candidate}
 * of them (or at once after a retrain request) and the task catalogue allows a round ({@link RoundReadiness}).
 * Remembers which windows were trained (they are not assembled again), why each task's due windows are held, and
 * which rounds were refused (not tried again until the approved adapter or the task's definition changes). No
 * Kafka types: the edge turns records into calls here and commits what {@link #trainedWindows} releases.
 */
public final class WorkQueue {

    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);

    /** What a round needs to know about its task besides its windows; read when the round would start. */
    public interface Surroundings {

        /** The task's current definition in the catalogue, empty when it has none. */
        Optional<TaskDefinition> definition(String task);

        /** Labels the task's strategies remember examples of (e.g. the replay buffer's): a round trains on them too. */
        Set<String> rememberedLabels(String task) throws IOException;

        /** The task's approved adapter id, or null when there is none. */
        String approvedAdapter(String task);
    }

    /**
     * A task's windows, due for a round with this definition of the task.
     *
     * @param attempt what a refusal of this round is remembered by: the approved adapter and the definition version
     */
    public record DueRound(String task, TaskDefinition definition, List<WindowAssembler.Window> windows,
                           String attempt) {

        public List<String> windowIds() {
            return windows.stream().map(w -> w.manifest().getWindowId()).toList();
        }

        /** Named after the round's last window, so a retried round publishes under the same id. */
        public String candidateId() {
            List<String> ids = windowIds();
            return "cand-" + ids.get(ids.size() - 1);
        }
    }

    private final int windowsPerCandidate;
    private WindowAssembler assembler = new WindowAssembler();
    private final Set<String> trainedWindows = new HashSet<>();
    private final Map<String, List<WindowAssembler.Window>> ready = new LinkedHashMap<>();
    private final Set<String> retrainRequested = new HashSet<>();
    /** Why each task's due windows are not being trained (waiting or refused); read by health on another thread. */
    private final Map<String, String> held = new ConcurrentHashMap<>();
    /** Tasks whose last round was refused, with the {@link DueRound#attempt} that was. */
    private final Map<String, String> refused = new HashMap<>();

    public WorkQueue(int windowsPerCandidate) {
        if (windowsPerCandidate < 1) {
            throw new IllegalArgumentException("windows-per-candidate must be at least 1, was " + windowsPerCandidate);
        }
        this.windowsPerCandidate = windowsPerCandidate;
    }

    /** @return whether the example was taken (false: its window was trained already); the edge then holds its offset */
    public boolean offer(CleanExample example) {
        if (trainedWindows.contains(example.getWindowId())) {
            return false;
        }
        assembler.add(example);
        return true;
    }

    /** @return whether the manifest was taken (false: its window was trained already) */
    public boolean offer(TrainingWindow window) {
        if (trainedWindows.contains(window.getWindowId())) {
            return false;
        }
        assembler.add(window);
        return true;
    }

    /** The task's next complete window is trained at once, whatever {@code windows-per-candidate} says. */
    public void requestRetrain(String task) {
        retrainRequested.add(task);
    }

    /** Moves every complete window to its task's due list; a window without training examples counts as trained. */
    public void collectCompleteWindows() {
        Optional<WindowAssembler.Window> complete;
        while ((complete = assembler.nextComplete()).isPresent()) {
            WindowAssembler.Window window = complete.get();
            if (window.train().isEmpty()) {
                // E.g. a window closed by age around one feedback example that the split put in test.
                LOG.info("Window {} has no training examples ({} validation); nothing to train",
                        window.manifest().getWindowId(), window.validation().size());
                trainedWindows.add(window.manifest().getWindowId());
                continue;
            }
            ready.computeIfAbsent(window.manifest().getTask(), t -> new ArrayList<>()).add(window);
            LOG.info("Window {} complete: {} training and {} validation examples", window.manifest().getWindowId(),
                    window.train().size(), window.validation().size());
        }
    }

    /**
     * The next round due, taken off the queue (give it back with {@link #refused}); tasks whose windows must wait
     * are held with a reason, a retired task's windows are dropped as trained.
     */
    public Optional<DueRound> next(Surroundings surroundings) throws IOException {
        for (String task : new ArrayList<>(ready.keySet())) {
            List<WindowAssembler.Window> windows = ready.get(task);
            if (windows.size() < windowsPerCandidate && !retrainRequested.contains(task)) {
                continue;
            }
            TaskDefinition definition = surroundings.definition(task).orElse(null);
            RoundReadiness readiness = RoundReadiness.of(task, definition, labelsUsed(task, windows, surroundings));
            if (readiness instanceof RoundReadiness.Wait wait) {
                hold(task, wait.reason() + "; " + windows.size() + " window(s) wait (nothing is lost)");
                continue;
            }
            DueRound round = new DueRound(task, definition, windows, attempt(task, definition, surroundings));
            if (readiness instanceof RoundReadiness.Skip skip) {
                LOG.info("{}: skipping windows {}", skip.reason(), round.windowIds());
                ready.remove(task);
                retrainRequested.remove(task);
                held.remove(task);
                trainedWindows.addAll(round.windowIds());
                continue;
            }
            if (round.attempt().equals(refused.get(task))) {
                continue; // refused before, and neither the approved adapter nor the definition changed since
            }
            ready.remove(task);
            retrainRequested.remove(task);
            return Optional.of(round);
        }
        return Optional.empty();
    }

    /** The round's candidate is out: its windows are never assembled again. */
    public void trained(DueRound round) {
        trainedWindows.addAll(round.windowIds());
        held.remove(round.task());
        refused.remove(round.task());
    }

    /**
     * The round may not start (nothing was written): its windows wait, and it is tried again only when the approved
     * adapter or the task's definition changes.
     */
    public void refused(DueRound round, String reason) {
        ready.put(round.task(), round.windows());
        refused.put(round.task(), round.attempt());
        hold(round.task(), "round refused: " + reason);
    }

    /** Windows trained elsewhere (another worker, or before a restart). */
    public void markTrained(Collection<String> windowIds) {
        trainedWindows.addAll(windowIds);
    }

    public boolean isTrained(Collection<String> windowIds) {
        return trainedWindows.containsAll(windowIds);
    }

    /** Windows trained or dropped: their records need not be read again. */
    public Set<String> trainedWindows() {
        return Collections.unmodifiableSet(trainedWindows);
    }

    /** Why each task with windows due is not being trained now. */
    public Map<String, String> heldTasks() {
        return new TreeMap<>(held);
    }

    /** The partitions were revoked: their in-memory work goes (the next owner re-reads it). */
    public void forget() {
        assembler = new WindowAssembler();
        ready.clear();
        retrainRequested.clear();
        held.clear();
        refused.clear();
    }

    /** Logs why a task's windows are held, once per reason. */
    private void hold(String task, String reason) {
        if (!reason.equals(held.put(task, reason))) {
            LOG.warn("Not training {} now: {}", task, reason);
        }
    }

    /** The labels a round of these windows trains on: their examples' and what the task's strategies remember. */
    private static Set<String> labelsUsed(String task, List<WindowAssembler.Window> windows,
                                          Surroundings surroundings) throws IOException {
        Set<String> labels = new TreeSet<>();
        windows.forEach(w -> w.train().forEach(e -> labels.add(e.getLabel())));
        windows.forEach(w -> w.validation().forEach(e -> labels.add(e.getLabel())));
        labels.addAll(surroundings.rememberedLabels(task));
        return labels;
    }

    private static String attempt(String task, TaskDefinition definition, Surroundings surroundings) {
        if (definition == null) {
            return "-";
        }
        String parent = surroundings.approvedAdapter(task);
        return (parent == null ? "-" : parent) + "@v" + definition.getVersion();
    }
}
