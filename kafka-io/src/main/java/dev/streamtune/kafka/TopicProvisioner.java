package dev.streamtune.kafka;

import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalogue's topics that are missing, and checks that existing ones have at least the partitions the
 * catalogue asks for. Idempotent: every service may call it at start-up.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_SECONDS = 60;

    private final KafkaConnection kafka;

    public TopicProvisioner(KafkaConnection kafka) {
        this.kafka = kafka;
    }

    /** Ensures every catalogue topic exists; returns the names it created. */
    public List<String> ensureAll() {
        return ensure(Topics.ALL);
    }

    public List<String> ensure(Collection<TopicSpec> specs) {
        Map<String, Object> config = new HashMap<>(kafka.clientProperties());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        try (Admin admin = Admin.create(config)) {
            short replication = (short) Math.min(3, admin.describeCluster().nodes()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).size());
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = specs.stream()
                    .filter(spec -> !existing.contains(spec.name()))
                    .map(spec -> new NewTopic(spec.name(), spec.partitions(), replication).configs(spec.configs()))
                    .toList();
            List<String> created = new ArrayList<>();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e; // another service created it concurrently: fine; anything else is not
                    }
                }
            }
            checkPartitions(admin, specs);
            if (!created.isEmpty()) {
                LOG.info("Created topics {} (replication {})", created, replication);
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while provisioning topics", e);
        } catch (ExecutionException | TimeoutException e) {
            String hint = e.getCause() instanceof TopicAuthorizationException
                    ? " (this principal may not create topics: provision them as the super user first)" : "";
            throw new IllegalStateException("Cannot provision topics on " + kafka + ": " + e + hint, e);
        }
    }

    private static void checkPartitions(Admin admin, Collection<TopicSpec> specs)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> described = admin.describeTopics(specs.stream().map(TopicSpec::name).toList())
                .allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (TopicSpec spec : specs) {
            int actual = described.get(spec.name()).partitions().size();
            if (actual < spec.partitions()) {
                LOG.warn("Topic {} has {} partitions, fewer than the {} the catalogue asks for; parallelism is capped",
                        spec.name(), actual, spec.partitions());
            }
        }
    }
}
