/**
 * Rollouts: an approved candidate beside the serving champion, first in shadow, then on a growing canary share of
 * request keys, each step judged on live feedback ({@link dev.streamtune.evaluator.rollout.RolloutJudge} over
 * {@link dev.streamtune.evaluator.rollout.LiveEvidence}); {@link dev.streamtune.evaluator.rollout.RolloutSteps}
 * turns each outcome into the deployment record serving follows. Pure: the evaluator's loop owns them.
 */
package dev.streamtune.evaluator.rollout;
