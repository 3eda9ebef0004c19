/**
 * Rollouts in serving: which model answers a request while an approved candidate is on trial beside the champion
 * ({@link dev.streamtune.serving.rollout.RolloutRoutes}), and the candidate's shadow runs off the request path
 * ({@link dev.streamtune.serving.rollout.ShadowRunner}). The evaluator decides the steps; serving follows them
 * from the deployments topic.
 */
package dev.streamtune.serving.rollout;
