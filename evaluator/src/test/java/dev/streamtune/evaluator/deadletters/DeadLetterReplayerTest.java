package dev.streamtune.evaluator.deadletters;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import dev.streamtune.contract.ReasonCode;
import dev.streamtune.kafka.KafkaConnection;
import org.junit.jupiter.api.Test;

class DeadLetterReplayerTest {

    @Test
    void refusesAReasonAReplayCannotChangeBeforeTouchingTheBroker() {
        DeadLetterReplayer replayer = new DeadLetterReplayer(KafkaConnection.plaintext("127.0.0.1:1"));
        for (ReasonCode reason : ReasonCode.values()) {
            if (!reason.replayable()) {
                assertThrows(IllegalArgumentException.class, () -> replayer.replay("intent", reason, Duration.ZERO),
                        reason.name());
            }
        }
    }
}
