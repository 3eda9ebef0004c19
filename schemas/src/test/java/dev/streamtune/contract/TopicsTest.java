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
}
