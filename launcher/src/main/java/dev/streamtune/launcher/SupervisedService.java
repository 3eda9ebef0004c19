package dev.streamtune.launcher;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.streamtune.kafka.LoopHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service process kept running the way a supervisor would: when it exits unexpectedly it is started again after
 * the {@link RestartPolicy}'s delay, with its restart count in {@value LoopHealth#RESTARTS_ENV} (its /health shows
 * it); after too many restarts the launcher gives up on it, loudly. A service whose {@code /health/liveness} says DOWN
 * {@value #LIVENESS_FAILURES} times in a row (a consumer loop ended for good) is stopped, and so restarted, as a
 * Kubernetes liveness probe would. {@link #stopRestarting} (the shutdown hook's first
 * step, before Ctrl-C's signal has stopped the children) and {@link #close} end the supervision.
 */
final class SupervisedService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SupervisedService.class);
    static final int LIVENESS_FAILURES = 3;
    private static final Duration LIVENESS_EVERY = Duration.ofSeconds(10);

    private final ServiceProcess.Service service;
    private final Path repo;
    private final Map<String, String> environment;
    /** Where the service listens, as the launcher reaches it. */
    private final String host;
    private final RestartPolicy policy;
    private final Clock clock;
    private final ScheduledExecutorService restarter;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile ServiceProcess current;
    private volatile boolean stopping;
    private int livenessFailures;

    private SupervisedService(ServiceProcess.Service service, Path repo, Map<String, String> environment,
                              String host, RestartPolicy policy, Clock clock) {
        this.service = service;
        this.repo = repo;
        this.environment = Map.copyOf(environment);
        this.host = host;
        this.policy = policy;
        this.clock = clock;
        this.restarter = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, service.name() + "-supervisor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** @param host where the service will listen (its STREAMTUNE_BIND_HOST, or loopback for every interface) */
    static SupervisedService start(ServiceProcess.Service service, Path repo, Map<String, String> environment,
                                   String host) throws IOException {
        return start(service, repo, environment, host, RestartPolicy.standard());
    }

    static SupervisedService start(ServiceProcess.Service service, Path repo, Map<String, String> environment,
                                   String host, RestartPolicy policy) throws IOException {
        SupervisedService supervised = new SupervisedService(service, repo, environment, host, policy,
                Clock.systemUTC());
        supervised.launch();
        supervised.restarter.scheduleWithFixedDelay(supervised::checkLiveness, LIVENESS_EVERY.toMillis(),
                LIVENESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return supervised;
    }

    private synchronized void launch() throws IOException {
        Map<String, String> env = new HashMap<>(environment);
        env.put(LoopHealth.RESTARTS_ENV, Integer.toString(policy.restarts()));
        ServiceProcess process = ServiceProcess.start(service, repo, env, host);
        current = process;
        process.onExit().thenAccept(exitCode -> exited(process, exitCode));
    }

    private synchronized void exited(ServiceProcess process, int exitCode) {
        if (stopping || process != current) {
            return;
        }
        Optional<Duration> delay = policy.onExit(clock.instant());
        if (delay.isEmpty()) {
            LOG.error("{} exited with code {} and has been restarted {} times already ({} at most): giving up on "
                    + "it. Fix the cause (see its log lines above) and run ./streamtune again.", service.name(),
                    exitCode, policy.restarts(), policy.limit());
            return;
        }
        LOG.warn("{} exited unexpectedly with code {}: restarting it in {} s (restart {})", service.name(), exitCode,
                delay.get().toMillis() / 1000.0, policy.restarts());
        restarter.schedule(this::restart, delay.get().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void restart() {
        if (stopping) {
            return;
        }
        try {
            launch();
            LOG.info("{} restarted (restart {})", service.name(), policy.restarts());
        } catch (IOException | RuntimeException e) {
            LOG.error("{} could not be restarted: {}", service.name(), e.toString());
            exited(current, -1);
        }
    }

    private void checkLiveness() {
        ServiceProcess process = current;
        try {
            if (stopping || !process.isAlive()) {
                return;
            }
            livenessFailures = process.liveness(http) == 503 ? livenessFailures + 1 : 0;
            if (livenessFailures >= LIVENESS_FAILURES) {
                livenessFailures = 0;
                LOG.warn("{}: /health/liveness said DOWN {} times in a row (see /health for why): stopping it to "
                        + "restart it", service.name(), LIVENESS_FAILURES);
                process.close(); // its exit is unexpected for the supervisor: restarted under the policy
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("{}: liveness check failed: {}", service.name(), e.toString());
        }
    }

    ServiceProcess.Service service() {
        return service;
    }

    /** Where the launcher reaches the service. */
    String url() {
        return service.url(host);
    }

    int restarts() {
        return policy.restarts();
    }

    boolean awaitHealthy(HttpClient http, Duration patience) throws InterruptedException {
        return current.awaitHealthy(http, patience);
    }

    /** From now on an exit is expected: no more restarts. */
    void stopRestarting() {
        stopping = true;
    }

    @Override
    public void close() {
        stopRestarting();
        restarter.shutdownNow();
        synchronized (this) {
            current.close();
        }
    }
}
