package dev.streamtune.serving.rollout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.RolloutStage;
import dev.streamtune.schema.RolloutTrial;

/**
 * Which model answers a request while a task's rollout runs, read from the latest deployment of each task.
 *
 * <p>Canary: a request key (the caller's {@code routingKey}, say a user id; without one the request id, so each call
 * on its own) is hashed with the task name (SHA-256, first 8 bytes as a fraction of 2^64) and answered by the
 * candidate when that fraction is below the canary share. The same key always lands in the same place, and a key
 * that reached the candidate at 5% still does at 25%: a user sees one model through the whole rollout.
 * Shadow: a share of the requests the champion answers is also run on the candidate, drawn at random.
 *
 * <p>Thread-safe: deployments arrive on the follower's thread, requests on request threads.
 */
public final class RolloutRoutes {

    /** Who answers the user. */
    public enum Route { CHAMPION, CANARY }

    private final Map<String, RolloutTrial> trials = new ConcurrentHashMap<>();
    private final DoubleSupplier random;

    /** @param random uniform draws in [0, 1) for shadow sampling */
    public RolloutRoutes(DoubleSupplier random) {
        this.random = random;
    }

    /** The task's latest deployment: its trial (or none) decides routing from now on. */
    public void update(Deployment deployment) {
        if (deployment.getTrial() == null) {
            trials.remove(deployment.getTask());
        } else {
            trials.put(deployment.getTask(), deployment.getTrial());
        }
    }

    public Optional<RolloutTrial> trial(String task) {
        return Optional.ofNullable(trials.get(task));
    }

    public Route route(String task, String requestKey) {
        RolloutTrial trial = trials.get(task);
        if (trial == null || trial.getStage() != RolloutStage.CANARY) {
            return Route.CHAMPION;
        }
        return bucket(task, requestKey) < trial.getShare() ? Route.CANARY : Route.CHAMPION;
    }

    /** Whether this champion-answered request should also run on the task's candidate in shadow. */
    public boolean shadows(String task) {
        RolloutTrial trial = trials.get(task);
        return trial != null && trial.getStage() == RolloutStage.SHADOW && random.getAsDouble() < trial.getShare();
    }

    /** The key's place in [0, 1): stable across processes, restarts and rollout steps. */
    static double bucket(String task, String requestKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(task.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            byte[] digest = sha.digest(requestKey.getBytes(StandardCharsets.UTF_8));
            long bits = ByteBuffer.wrap(digest, 0, 8).getLong() >>> 11; // 53 bits: exact in a double
            return bits / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
