package dev.streamtune.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a secured cluster match {@link AccessControl}: each principal's SCRAM-SHA-256 credential, and the ACLs the
 * table declares. Idempotent (existing credentials are replaced, existing ACLs kept). Runs as the super user.
 *
 * <p>{@link #main} is the provisioning job of docker-compose and Kubernetes: it reads the super user's connection
 * from {@code KAFKA_*} (see {@link KafkaConnection}) and each principal's password from
 * {@code KAFKA_PASSWORD_<PRINCIPAL>} ({@code KAFKA_PASSWORD_EVALUATOR}, ...), then also creates the topics.
 */
public final class KafkaSecurityProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSecurityProvisioner.class);
    private static final long TIMEOUT_SECONDS = 60;
    /** RFC 7677's minimum is 4096; Kafka's own default. */
    private static final int SCRAM_ITERATIONS = 8192;

    private final KafkaConnection superUser;

    public KafkaSecurityProvisioner(KafkaConnection superUser) {
        this.superUser = superUser;
    }

    /** The environment variable holding a principal's password for {@link #main}. */
    public static String passwordVariable(String principal) {
        return "KAFKA_PASSWORD_" + principal.toUpperCase(Locale.ROOT);
    }

    /**
     * Sets the SCRAM credential of each named user and creates every ACL of the table.
     *
     * @param passwords user name -> password; users missing here keep the credential they have
     */
    public void apply(Map<String, String> passwords) {
        try (Admin admin = Admin.create(superUser.clientProperties())) {
            List<UserScramCredentialAlteration> upserts = new ArrayList<>();
            passwords.forEach((user, password) -> upserts.add(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, SCRAM_ITERATIONS), password)));
            if (!upserts.isEmpty()) {
                admin.alterUserScramCredentials(upserts).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            admin.createAcls(AccessControl.bindings()).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("Kafka security applied on {}: SCRAM credentials for {}, {} ACLs", superUser.bootstrapServers(),
                    passwords.keySet(), AccessControl.bindings().size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while applying Kafka security", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot apply Kafka credentials and ACLs on " + superUser + ": " + e, e);
        }
    }

    /** The compose/Kubernetes provisioning job: credentials, ACLs, topics; then exits. */
    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        KafkaConnection superUser = KafkaConnection.fromEnvironment(env);
        Map<String, String> passwords = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (AccessControl.Principal principal : AccessControl.PRINCIPALS) {
            String password = env.get(passwordVariable(principal.name()));
            if (password == null || password.isBlank()) {
                missing.add(passwordVariable(principal.name()));
            } else {
                passwords.put(principal.name(), password);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Set " + missing + ": every principal needs a password");
        }
        new KafkaSecurityProvisioner(superUser).apply(passwords);
        new TopicProvisioner(superUser).ensureAll();
    }
}
