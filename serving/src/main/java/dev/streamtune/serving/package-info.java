/**
 * The serving tier: answers predictions with the adapter each task's latest deployment names, takes feedback, and
 * shows the drift dashboard.
 *
 * <p>Request path: {@code api.PredictController} validates ({@code predict.RequestLimits}) and hands the texts to
 * {@code predict.PredictionService}, whose per-task {@code predict.MicroBatcher} gathers concurrent calls into one
 * forward pass run under an {@code adapter.AdapterLease}; answers go to the metrics, the recent-predictions cache
 * (for feedback) and the prediction log.
 *
 * <p>Deployment path: {@link dev.streamtune.serving.DeploymentFollower} reads {@code deployments} and
 * {@code promotion.decisions}; {@code adapter.AdapterRegistry} loads and warms each new adapter in the background
 * and swaps it in atomically, closing the old one after its in-flight forward passes.
 *
 * <p>Dashboard path: {@link dev.streamtune.serving.DashboardFeed} folds drift reports, closed windows, predictions
 * and feedback into {@code dashboard.DashboardHistory}, which {@code api.DashboardController} serves as JSON to the
 * page in {@code resources/dashboard/index.html}.
 */
package dev.streamtune.serving;
