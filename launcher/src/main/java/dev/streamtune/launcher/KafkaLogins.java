package dev.streamtune.launcher;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.streamtune.kafka.AccessControl;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.KafkaSecurityProvisioner;
import dev.streamtune.localkafka.BrokerCredentials;
import dev.streamtune.localkafka.LocalKafkaBroker;

/**
 * Who each client of the run command logs in to Kafka as: the provisioning (topics, ACLs, the demo's narrator),
 * and each principal of {@link AccessControl} (the services, the demo's producer).
 *
 * @param provisioner the super user on a secured local broker; otherwise the one configured connection
 * @param principals  principal name -> its own login; principals not here use {@code provisioner}'s
 */
public record KafkaLogins(KafkaConnection provisioner, Map<String, KafkaConnection> principals) {

    public KafkaLogins {
        principals = Map.copyOf(principals);
    }

    /** An open local broker, or an external cluster configured by KAFKA_* variables: one login for everyone. */
    public static KafkaLogins everyoneAs(KafkaConnection connection) {
        return new KafkaLogins(connection, Map.of());
    }

    /**
     * A secured local broker: the super user logs in with PLAIN (its password is in the broker's config), every
     * principal with SCRAM-SHA-256 as itself.
     */
    public static KafkaLogins securedLocal(String bootstrapServers, BrokerCredentials credentials) {
        KafkaConnection superUser = new KafkaConnection(bootstrapServers, LocalKafkaBroker.SASL_PROTOCOL,
                LocalKafkaBroker.SUPER_USER_MECHANISM, credentials.superUser(), credentials.superUserPassword());
        Map<String, KafkaConnection> principals = new LinkedHashMap<>();
        for (AccessControl.Principal principal : AccessControl.PRINCIPALS) {
            principals.put(principal.name(),
                    KafkaConnection.scram(bootstrapServers, principal.name(), credentials.password(principal.name())));
        }
        return new KafkaLogins(superUser, principals);
    }

    /**
     * Starts the local broker with SASL and ACLs: passwords from (or new in) {@code credentialsFile}, then every
     * principal's SCRAM credential and the ACL table applied as the super user.
     */
    public static KafkaLogins startSecuredLocal(LocalKafkaBroker broker, BrokerCredentials credentials) {
        KafkaLogins logins = securedLocal(broker.bootstrapServers(), credentials);
        Map<String, String> passwords = new LinkedHashMap<>();
        AccessControl.PRINCIPALS.forEach(p -> passwords.put(p.name(), credentials.password(p.name())));
        new KafkaSecurityProvisioner(logins.provisioner()).apply(passwords);
        return logins;
    }

    public KafkaConnection principal(String name) {
        return principals.getOrDefault(name, provisioner);
    }
}
