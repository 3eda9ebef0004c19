package dev.streamtune.evaluator.deadletters;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import dev.streamtune.contract.AvroCodec;
import dev.streamtune.contract.Topics;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.LabelledExample;
import dev.streamtune.schema.RejectedRecord;

/** Dead letters as ingest writes them, with JSON or Avro originals, for the unit and broker tests. */
final class DeadLetterFixture {

    static final Instant REJECTED_AT = Instant.parse("2026-11-30T10:00:00Z");

    private DeadLetterFixture() {
    }

    /** A JSON labelled example; {@code id} null leaves the field out. */
    static byte[] json(String task, String label, String id, String text) {
        String idField = id == null ? "" : "\"id\":\"" + id + "\",";
        return ("{" + idField + "\"task\":\"" + task + "\",\"text\":\"" + text + "\",\"label\":\"" + label + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** An Avro labelled example; {@code id} null gives it a blank id, which ingest treats as absent. */
    static byte[] avro(String task, String label, String id, String text) {
        return AvroCodec.of(LabelledExample.class).encode(LabelledExample.newBuilder().setId(id == null ? "" : id)
                .setTask(task).setText(text).setLabel(label).setSource("fixture")
                .setEventTime(REJECTED_AT).setAttributes(Map.of()).setWeight(null).build());
    }

    static byte[] avroFeedback(String task, String corrected, String requestId, String text) {
        return AvroCodec.of(FeedbackEvent.class).encode(FeedbackEvent.newBuilder()
                .setRequestId(requestId == null ? "" : requestId).setTask(task).setModelVersion("v1").setText(text)
                .setPredictedLabel("other").setCorrectedLabel(corrected).setRating(null).setEventTime(REJECTED_AT)
                .setAttributes(Map.of()).build());
    }

    /** The dead letter of {@code value}, read from examples.labelled at partition 0, {@code offset}. */
    static RejectedRecord letter(String reason, String task, String label, byte[] value, long offset) {
        return letter(Topics.LABELLED_EXAMPLES.name(), reason, task, label, value, offset);
    }

    static RejectedRecord letter(String topic, String reason, String task, String label, byte[] value, long offset) {
        return RejectedRecord.newBuilder()
                .setOriginalKey(ByteBuffer.wrap(task == null ? new byte[0] : task.getBytes(StandardCharsets.UTF_8)))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
                .setReasonCode(reason).setReason("test: " + reason)
                .setSourceTopic(topic).setSourcePartition(0).setSourceOffset(offset)
                .setRejectedAt(REJECTED_AT).setTask(task).setLabel(label).build();
    }
}
