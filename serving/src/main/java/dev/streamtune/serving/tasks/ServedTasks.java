package dev.streamtune.serving.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.TextTruncation;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import dev.streamtune.schema.TextPolicy;
import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.RequestRejectedException.Reason;

/**
 * Which tasks serving answers, read from the live task catalogue at every call (so a task created or a label
 * appended a moment ago counts at once): a task the catalogue does not hold is unknown (404), a RETIRED one is gone
 * (410), ACTIVE and PAUSED ones are answered (pausing stops training, not serving). Also fits predicted texts to the
 * task's text policy with {@link TextTruncation}, the rule ingest applies to the same task's training text.
 */
public final class ServedTasks {

    /**
     * Texts as the model will read them.
     *
     * @param texts     each text, cut to the task's policy where it was longer
     * @param truncated per text, whether it was cut
     */
    public record FittedTexts(List<String> texts, List<Boolean> truncated) {
        public FittedTexts {
            texts = List.copyOf(texts);
            truncated = List.copyOf(truncated);
            if (texts.size() != truncated.size()) {
                throw new IllegalArgumentException("one truncation flag per text");
            }
        }

        /** Texts taken as they are (no policy applied). */
        public static FittedTexts asGiven(List<String> texts) {
            return new FittedTexts(texts, texts.stream().map(t -> false).toList());
        }

        public long truncatedCount() {
            return truncated.stream().filter(t -> t).count();
        }
    }

    private final Supplier<TaskCatalogue> catalogue;

    /** @param catalogue the catalogue as read now (kafka-io {@code TaskCatalogueFollower::current}) */
    public ServedTasks(Supplier<TaskCatalogue> catalogue) {
        this.catalogue = catalogue;
    }

    /** The catalogue as read now. */
    public TaskCatalogue catalogue() {
        return catalogue.get();
    }

    /**
     * The definition of a task serving may answer for.
     *
     * @throws RequestRejectedException NOT_FOUND when the catalogue does not hold it, GONE when it was retired
     */
    public TaskDefinition require(String task) {
        TaskDefinition definition = catalogue.get().find(task).orElseThrow(() -> new RequestRejectedException(
                Reason.NOT_FOUND, "Task '" + task + "' is not in the task catalogue"));
        if (definition.getState() == TaskState.RETIRED) {
            throw new RequestRejectedException(Reason.GONE, "Task '" + task + "' was retired (catalogue version "
                    + definition.getVersion() + ", by " + definition.getChangedBy() + "); it is no longer served");
        }
        return definition;
    }

    /** The labels feedback on the task may name: the catalogue's, in head order (404/410 as {@link #require}). */
    public List<String> labels(String task) {
        return require(task).getLabels();
    }

    /**
     * Applies the task's text policy to every text of a call. Under TRUNCATE_HEAD / TRUNCATE_HEAD_TAIL a long text
     * is cut and flagged; under REJECT the whole call is refused (422) naming every text over the limit, since one
     * call is answered by one forward pass and a partial answer would shift the prediction ids of the others.
     */
    public static FittedTexts fit(TaskDefinition task, List<String> texts, boolean single) {
        TextPolicy policy = task.getText();
        List<String> fitted = new ArrayList<>(texts.size());
        List<Boolean> truncated = new ArrayList<>(texts.size());
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            TextTruncation.Outcome outcome = TextTruncation.apply(texts.get(i), policy);
            if (outcome.rejected()) {
                refused.add((single ? "\"text\"" : "\"texts[" + i + "]\"") + " ("
                        + texts.get(i).codePointCount(0, texts.get(i).length()) + ")");
            }
            fitted.add(outcome.text());
            truncated.add(outcome.truncated());
        }
        if (!refused.isEmpty()) {
            throw new RequestRejectedException(Reason.INVALID, "Task '" + task.getTask() + "' rejects text over "
                    + policy.getMaxChars() + " characters (its text policy's overflow is REJECT): "
                    + String.join(", ", refused) + "; shorten them or send them in another call");
        }
        return new FittedTexts(fitted, truncated);
    }

    /**
     * The task's labels the adapter cannot answer yet, in catalogue order: labels appended after the adapter was
     * trained (its head has no row for them) until a grown adapter is deployed.
     */
    public static List<String> notYetLearned(List<String> catalogueLabels, List<String> adapterLabels) {
        return catalogueLabels.stream().filter(label -> !adapterLabels.contains(label)).toList();
    }
}
