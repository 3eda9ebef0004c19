package dev.streamtune.evaluator.deadletters;

import java.util.List;

import dev.streamtune.schema.TaskDefinition;

/**
 * Appends labels to a task in the catalogue: implemented by the catalogue's writer (the one writer of the tasks
 * topic), used by open-label tasks to add a label that has gathered enough examples.
 */
public interface LabelAppender {

    /**
     * Appends {@code labels} (in order) to {@code task}'s labels and writes the new version.
     *
     * @param changedBy who asks, recorded in the definition ({@link OpenLabelMonitor#CHANGED_BY} for open labels)
     * @return the definition written
     * @throws RuntimeException when the catalogue refuses (unknown or retired task, duplicate label, over the cap)
     */
    TaskDefinition addLabels(String task, List<String> labels, String changedBy);
}
