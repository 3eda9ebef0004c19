package dev.streamtune.kafka;

import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on a secured cluster, declared once per principal: the topics it writes and reads, its consumer
 * groups and transactional ids. {@link #bindings()} derives the broker's ACLs from these declarations; anything
 * not declared is denied (the broker's authorizer allows nothing without an ACL, except to the super user).
 *
 * <p>The point is the control topics: a forged {@code Deployment} makes serving load an attacker's adapter, so only
 * the evaluator may write {@code deployments}, {@code promotion.decisions} and {@code tasks}; only the trainer
 * {@code adapters.candidates}; only ingest the cleaned stream and window manifests. Outside producers get the two
 * input topics and nothing else.
 */
public final class AccessControl {

    /**
     * What one principal (a SCRAM user of the same name) may do.
     *
     * @param name                 the SASL user name; the ACL principal is {@code User:<name>}
     * @param writes               topics it produces to
     * @param reads                topics it consumes
     * @param groups               consumer groups it joins or commits offsets in
     * @param transactionalIds     transactional ids of its producers
     * @param streamsApplicationId a Kafka Streams application id whose internal topics, group and transactional ids
     *                             ({@code <id>-...}) it owns; null if it runs no Kafka Streams
     * @param describesCatalogue   whether it may see every catalogue topic's metadata: the services check at start
     *                             that the catalogue is provisioned ({@link TopicProvisioner})
     * @param groupPrefixes        prefixes of consumer groups it creates as it goes (one per replayed task and
     *                             reason, say), which it joins or commits offsets in
     */
    public record Principal(String name, List<TopicSpec> writes, List<TopicSpec> reads, List<String> groups,
                            List<String> transactionalIds, String streamsApplicationId, boolean describesCatalogue,
                            List<String> groupPrefixes) {

        public Principal(String name, List<TopicSpec> writes, List<TopicSpec> reads, List<String> groups,
                         List<String> transactionalIds, String streamsApplicationId, boolean describesCatalogue) {
            this(name, writes, reads, groups, transactionalIds, streamsApplicationId, describesCatalogue, List.of());
        }

        public String aclPrincipal() {
            return "User:" + name;
        }

        public boolean mayWrite(TopicSpec topic) {
            return writes.contains(topic);
        }
    }

    /** The super user: the broker itself (inter-broker and controller traffic) and whoever provisions the cluster. */
    public static final String SUPER_USER = "admin";

    /** Ingest's Kafka Streams application id (ingest.application-id in its application.yml). */
    public static final String INGEST_APPLICATION_ID = "streamtune-ingest";
    /** The trainer workers' consumer group (trainer.group-id, TRAINER_GROUP_ID). */
    public static final String TRAINER_GROUP_ID = "streamtune-trainer";
    /** The evaluator's transactional id: one writer of decisions and deployments; a restarted one fences the old. */
    public static final String EVALUATOR_TRANSACTIONAL_ID = "streamtune-evaluator";
    /**
     * The evaluator's dead-letter replays: their transactional id (apart from the decision writer's, since replays
     * run beside its loop) and the prefix of their consumer groups, one per (task, reason), whose committed
     * positions on examples.rejected make each dead letter replayed once.
     */
    public static final String EVALUATOR_REPLAY_TRANSACTIONAL_ID = "streamtune-evaluator-replay";
    public static final String EVALUATOR_REPLAY_GROUP_PREFIX = "streamtune-evaluator-replay.";

    public static final Principal INGEST = new Principal("ingest",
            List.of(Topics.CLEAN_EXAMPLES, Topics.REJECTED_RECORDS, Topics.CLOSED_WINDOWS),
            List.of(Topics.TASKS, Topics.LABELLED_EXAMPLES, Topics.FEEDBACK_EVENTS),
            List.of(), List.of(), INGEST_APPLICATION_ID, true);
    public static final Principal TRAINER = new Principal("trainer",
            List.of(Topics.ADAPTER_CANDIDATES),
            List.of(Topics.TASKS, Topics.CLEAN_EXAMPLES, Topics.CLOSED_WINDOWS, Topics.RETRAIN_REQUESTS,
                    Topics.ADAPTER_CANDIDATES, Topics.DEPLOYMENTS),
            List.of(TRAINER_GROUP_ID), List.of(), null, true);
    /** Also replays dead letters: it writes them back to the input topics they came from (dead-letter replay). */
    public static final Principal EVALUATOR = new Principal("evaluator",
            List.of(Topics.TASKS, Topics.PROMOTION_DECISIONS, Topics.DEPLOYMENTS, Topics.DRIFT_REPORTS,
                    Topics.RETRAIN_REQUESTS, Topics.LABELLED_EXAMPLES, Topics.FEEDBACK_EVENTS),
            List.of(Topics.TASKS, Topics.CLEAN_EXAMPLES, Topics.CLOSED_WINDOWS, Topics.PREDICTION_LOG,
                    Topics.FEEDBACK_EVENTS, Topics.ADAPTER_CANDIDATES, Topics.PROMOTION_DECISIONS,
                    Topics.DRIFT_REPORTS, Topics.DEPLOYMENTS, Topics.REJECTED_RECORDS),
            List.of(), List.of(EVALUATOR_TRANSACTIONAL_ID, EVALUATOR_REPLAY_TRANSACTIONAL_ID), null, true,
            List.of(EVALUATOR_REPLAY_GROUP_PREFIX));
    public static final Principal SERVING = new Principal("serving",
            List.of(Topics.FEEDBACK_EVENTS, Topics.PREDICTION_LOG, Topics.ANNOTATION_REQUESTS),
            List.of(Topics.TASKS, Topics.PROMOTION_DECISIONS, Topics.DEPLOYMENTS, Topics.DRIFT_REPORTS,
                    Topics.CLOSED_WINDOWS, Topics.PREDICTION_LOG, Topics.FEEDBACK_EVENTS),
            List.of(), List.of(), null, true);
    /** Annotation tools, kcat, the demo's traffic: the two input topics, and the annotation requests to answer. */
    public static final Principal PRODUCER = new Principal("producer",
            List.of(Topics.LABELLED_EXAMPLES, Topics.FEEDBACK_EVENTS), List.of(Topics.ANNOTATION_REQUESTS), List.of(),
            List.of(), null, false);

    public static final List<Principal> PRINCIPALS = List.of(INGEST, TRAINER, EVALUATOR, SERVING, PRODUCER);

    private AccessControl() {
    }

    public static Principal principal(String name) {
        return PRINCIPALS.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No Kafka principal named " + name));
    }

    /** Every principal's user name, the super user's first: the SCRAM users a secured cluster needs. */
    public static List<String> userNames() {
        List<String> names = new ArrayList<>(List.of(SUPER_USER));
        PRINCIPALS.forEach(p -> names.add(p.name()));
        return names;
    }

    /** The names of the principals allowed to write the topic. */
    public static List<String> writersOf(TopicSpec topic) {
        return PRINCIPALS.stream().filter(p -> p.mayWrite(topic)).map(Principal::name).toList();
    }

    /** Every ACL of every principal. */
    public static List<AclBinding> bindings() {
        List<AclBinding> all = new ArrayList<>();
        PRINCIPALS.forEach(p -> all.addAll(bindings(p)));
        return all;
    }

    /** The ACLs one principal's declaration amounts to. */
    public static List<AclBinding> bindings(Principal principal) {
        Set<AclBinding> acls = new LinkedHashSet<>();
        for (TopicSpec topic : principal.writes()) {
            allow(acls, principal, ResourceType.TOPIC, topic.name(), PatternType.LITERAL,
                    AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        for (TopicSpec topic : principal.reads()) {
            allow(acls, principal, ResourceType.TOPIC, topic.name(), PatternType.LITERAL,
                    AclOperation.READ, AclOperation.DESCRIBE);
        }
        if (principal.describesCatalogue()) {
            for (TopicSpec topic : Topics.ALL) {
                allow(acls, principal, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.DESCRIBE);
            }
        }
        for (String group : principal.groups()) {
            allow(acls, principal, ResourceType.GROUP, group, PatternType.LITERAL,
                    AclOperation.READ, AclOperation.DESCRIBE);
        }
        for (String prefix : principal.groupPrefixes()) {
            allow(acls, principal, ResourceType.GROUP, prefix, PatternType.PREFIXED,
                    AclOperation.READ, AclOperation.DESCRIBE);
        }
        for (String id : principal.transactionalIds()) {
            allow(acls, principal, ResourceType.TRANSACTIONAL_ID, id, PatternType.LITERAL,
                    AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        String application = principal.streamsApplicationId();
        if (application != null) {
            // Kafka Streams names its repartition and changelog topics and its exactly-once transactional ids
            // "<application.id>-...", and its consumer group is the application id itself.
            allow(acls, principal, ResourceType.TOPIC, application + "-", PatternType.PREFIXED, AclOperation.ALL);
            allow(acls, principal, ResourceType.TRANSACTIONAL_ID, application + "-", PatternType.PREFIXED,
                    AclOperation.WRITE, AclOperation.DESCRIBE);
            allow(acls, principal, ResourceType.GROUP, application, PatternType.LITERAL,
                    AclOperation.READ, AclOperation.DESCRIBE);
        }
        return List.copyOf(acls);
    }

    private static void allow(Set<AclBinding> acls, Principal principal, ResourceType type, String name,
                              PatternType pattern, AclOperation... operations) {
        for (AclOperation operation : operations) {
            acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(principal.aclPrincipal(), "*", operation, AclPermissionType.ALLOW)));
        }
    }
}
