/**
 * Annotation requests: which served predictions are worth a human label, and how many may be asked for.
 *
 * <p>How the parts fit (serving wires them to the request path and to Kafka; nothing here knows either):
 * <ul>
 *   <li>{@link dev.streamtune.model.annotation.AnnotationSelector} looks at one prediction and returns its
 *       {@link dev.streamtune.model.annotation.AnnotationReason}s and margin (a
 *       {@link dev.streamtune.model.annotation.AnnotationSelector.Selection}); no reasons means not worth a label.
 *       It reads the prediction's probabilities, a second model's answer, the request's attributes against the
 *       slices drift reports flagged, and the task's {@link dev.streamtune.model.annotation.LabelShares}.
 *   <li>{@link dev.streamtune.model.annotation.LabelShares} is a task's sliding count of predicted labels, which
 *       the caller records every prediction into.
 *   <li>{@link dev.streamtune.model.annotation.AnnotationBudget} then accepts or refuses the request: a per-task,
 *       per-clock-hour budget and a memory of texts already requested.
 *   <li>{@link dev.streamtune.model.annotation.AnnotationPolicy} holds the thresholds and limits.
 * </ul>
 * The selector and budget take no clock of their own: the caller passes the time, so tests and benchmarks can
 * replay hours in milliseconds ({@code bench/run.sh labels} measures what the selection buys in accuracy per label).
 */
package dev.streamtune.model.annotation;
