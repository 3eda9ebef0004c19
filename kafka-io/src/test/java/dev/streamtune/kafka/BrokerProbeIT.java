package dev.streamtune.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import org.junit.jupiter.api.Test;

@WithKafka
class BrokerProbeIT {

    @Test
    void aRunningBrokerIsReachable(KafkaBroker broker) {
        try (BrokerProbe probe = new BrokerProbe(KafkaConnection.plaintext(broker.bootstrapServers()))) {
            BrokerProbe.Reachability reachability = probe.check();
            assertTrue(reachability.reachable(), reachability.detail());
        }
    }
}
