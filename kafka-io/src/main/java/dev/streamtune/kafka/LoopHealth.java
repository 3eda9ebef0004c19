package dev.streamtune.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every service's {@code /health} says about a consumer loop and the broker, in the same words everywhere:
 * UP only while the loop runs and the broker answers.
 */
public final class LoopHealth {

    /** Set by the launcher on each service it starts: how many times it restarted that service. */
    public static final String RESTARTS_ENV = "STREAMTUNE_RESTARTS";

    private LoopHealth() {
    }

    public static boolean up(ConsumerLoop loop, BrokerProbe.Reachability broker) {
        return loop.alive() && broker.reachable();
    }

    /** "running", "recovering" (retrying a fault), or "stopped". */
    public static String state(ConsumerLoop loop) {
        return !loop.alive() ? "stopped" : loop.ongoingFault() != null ? "recovering" : "running";
    }

    /** The loop's state, faults survived, the fault in progress or the one that stopped it, and the broker. */
    public static Map<String, Object> details(ConsumerLoop loop, BrokerProbe.Reachability broker) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("loop", state(loop));
        details.put("faultsSurvived", loop.faults());
        if (loop.ongoingFault() != null) {
            details.put("fault", loop.ongoingFault());
        }
        if (loop.fatalFault() != null) {
            details.put("stoppedBecause", loop.fatalFault());
        }
        details.put("broker", broker.reachable() ? "reachable" : broker.detail());
        details.put("restarts", restarts());
        return details;
    }

    /** How many times the launcher restarted this service; 0 when not started by the launcher. */
    public static int restarts() {
        return restarts(System.getenv());
    }

    static int restarts(Map<String, String> environment) {
        try {
            return Integer.parseInt(environment.getOrDefault(RESTARTS_ENV, "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
