package dev.streamtune.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.LabelledExample;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void namesAreUniqueAndEveryRecordTypeHasATopic() {
        Set<String> names = new HashSet<>();
        Topics.ALL.forEach(topic -> assertTrue(names.add(topic.name()), "duplicate " + topic.name()));
        assertEquals(SampleRecords.all().keySet(),
                Topics.ALL.stream().map(TopicSpec::valueType).collect(Collectors.toSet()));
    }

    @Test
    void deploymentsAreCompactedSoTheLatestPerTaskIsKeptForever() {
        assertEquals("compact", Topics.DEPLOYMENTS.configs().get("cleanup.policy"));
        assertEquals("-1", Topics.DEPLOYMENTS.configs().get("retention.ms"));
        assertEquals("delete", Topics.LABELLED_EXAMPLES.configs().get("cleanup.policy"));
        assertEquals(Long.toString(7L * 24 * 3600 * 1000), Topics.LABELLED_EXAMPLES.configs().get("retention.ms"));
    }

    @Test
    void serdeIsRefusedForTheWrongRecordType() {
        assertThrows(IllegalArgumentException.class, () -> Topics.LABELLED_EXAMPLES.valueSerde(Deployment.class));
        Topics.LABELLED_EXAMPLES.valueSerde(LabelledExample.class);
        assertEquals(Topics.DEPLOYMENTS, Topics.byName("deployments"));
    }

    @Test
    void topicsDecodeTheirOwnTypeAndRefuseToEncodeAnother() {
        byte[] bytes = Topics.LABELLED_EXAMPLES.encode(SampleRecords.labelledExample());
        assertEquals(SampleRecords.labelledExample(), Topics.LABELLED_EXAMPLES.decode(bytes));
        assertEquals(null, Topics.DEPLOYMENTS.decode(null), "a tombstone decodes to null");
        assertThrows(IllegalArgumentException.class, () -> Topics.DEPLOYMENTS.encode(SampleRecords.labelledExample()));
        assertThrows(RecordDecodingException.class, () -> Topics.DEPLOYMENTS.decode(bytes),
                "a LabelledExample's fingerprint is not a Deployment's");
    }
}
