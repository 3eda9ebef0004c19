package dev.streamtune.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the broker answers, for {@code /health}: one {@code describeCluster} with a short timeout, its answer kept
 * for a few seconds so frequent probes cost the broker nothing. A consumer loop alone cannot tell: {@code poll()}
 * just returns nothing while the broker is away.
 */
public final class BrokerProbe implements AutoCloseable {

    /** How long one check may take, and how long its answer is reused. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);
    public static final Duration REUSE = Duration.ofSeconds(5);

    private final KafkaConnection kafka;
    private final Duration timeout;
    private final Duration reuse;
    private Admin admin;
    private long checkedAt;
    private Reachability last;

    /** The broker's state as last seen: reachable, or why not. */
    public record Reachability(boolean reachable, String detail) {
    }

    public BrokerProbe(KafkaConnection kafka) {
        this(kafka, TIMEOUT, REUSE);
    }

    public BrokerProbe(KafkaConnection kafka, Duration timeout, Duration reuse) {
        this.kafka = kafka;
        this.timeout = timeout;
        this.reuse = reuse;
    }

    public synchronized Reachability check() {
        long now = System.nanoTime();
        if (last != null && now - checkedAt < reuse.toNanos()) {
            return last;
        }
        last = ask();
        checkedAt = System.nanoTime();
        return last;
    }

    private Reachability ask() {
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS).size();
            return new Reachability(true, nodes + " broker(s) at " + kafka.bootstrapServers());
        } catch (ExecutionException e) {
            return new Reachability(false, "unreachable at " + kafka.bootstrapServers() + ": " + e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            return new Reachability(false, "no answer from " + kafka.bootstrapServers() + " within " + timeout.toMillis()
                    + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reachability(false, "check interrupted");
        } catch (RuntimeException e) {
            return new Reachability(false, "cannot check " + kafka.bootstrapServers() + ": " + e);
        }
    }

    private Admin admin() {
        if (admin == null) {
            admin = KafkaClients.boundedAdmin(kafka, "health-probe", timeout);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
