package dev.streamtune.testsupport;

import dev.streamtune.localkafka.SingleNodeBroker;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A one-node KRaft cluster (combined broker + controller) inside the test JVM; ready in about 3 s. */
final class InJvmKafkaBroker implements KafkaBroker, AutoCloseable {

    private final KafkaClusterTestKit cluster;

    private InJvmKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static InJvmKafkaBroker start() throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build());
        SingleNodeBroker.SETTINGS.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new InJvmKafkaBroker(cluster);
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public String kind() {
        return "in-JVM KRaft";
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
