package dev.streamtune.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import dev.streamtune.contract.AvroCodec;
import dev.streamtune.contract.ReasonCode;
import dev.streamtune.schema.RejectedRecord;
import org.junit.jupiter.api.Test;

class DeadLetterProcessorTest {

    private static final int BUDGET = 900_000;

    @Test
    void aSmallRecordIsKeptWhole() {
        DeadLetterProcessor.DeadLetter letter = letter(Inputs.utf8("k"), Inputs.utf8("not json"), BUDGET);
        RejectedRecord record = decode(letter);
        assertArrayEquals(Inputs.utf8("k"), letter.key());
        assertEquals("not json", new String(bytes(record.getOriginalValue())));
        assertEquals("MALFORMED", record.getReasonCode());
        assertEquals("neither JSON nor Avro", record.getReason());
    }

    @Test
    void aHugeKeyWithAHugeValueStillFitsTheBudget() {
        byte[] key = filled(400_000, 'k');
        byte[] value = filled(600_000, 'v'); // 1 MB together: the broker took it; a dead letter repeating it must fit
        DeadLetterProcessor.DeadLetter letter = letter(key, value, BUDGET);
        assertTrue(letter.size() <= BUDGET, "dead letter of " + letter.size() + " bytes");
        assertEquals(BUDGET / 8, letter.key().length);
        RejectedRecord record = decode(letter);
        assertArrayEquals(letter.key(), bytes(record.getOriginalKey()), "the value names the same (cut) key");
        assertEquals(600_000, record.getOriginalValue().remaining(), "the cut key leaves room for the value");
        assertTrue(record.getReason().contains("original key truncated from 400000 to 112500 bytes"),
                record.getReason());
    }

    @Test
    void aValueTooLargeForTheBudgetIsCutByExactlyWhatDoesNotFit() {
        DeadLetterProcessor.DeadLetter letter = letter(filled(400_000, 'k'), filled(850_000, 'v'), BUDGET);
        assertTrue(letter.size() <= BUDGET && letter.size() > BUDGET - 64, "fills the budget: " + letter.size());
        RejectedRecord record = decode(letter);
        int kept = record.getOriginalValue().remaining();
        assertTrue(record.getReason().contains("original value truncated from 850000 to " + kept + " bytes"),
                record.getReason());
    }

    @Test
    void everySizeOfKeyAndValueFitsEvenATinyBudget() {
        for (int budget : new int[] {1024, 4096, 100_000}) {
            for (int size : new int[] {0, 10, 1000, 5000, 200_000}) {
                DeadLetterProcessor.DeadLetter letter = letter(filled(size, 'k'), filled(size * 2, 'v'), budget);
                assertTrue(letter.size() <= budget, budget + "/" + size + ": " + letter.size());
                assertEquals("MALFORMED", decode(letter).getReasonCode());
            }
        }
    }

    @Test
    void aTombstoneIsDeadLetteredWithoutBytes() {
        DeadLetterProcessor.DeadLetter letter = letter(null, null, BUDGET);
        assertNull(letter.key());
        assertNull(decode(letter).getOriginalValue());
    }

    @Test
    void limitsThatCouldNotBeWrittenAreRefusedAtStart() {
        DeadLetterProcessor.requireFits(900_000, 1_048_576);
        var error = assertThrows(IllegalArgumentException.class,
                () -> DeadLetterProcessor.requireFits(1_048_576, 1_048_576));
        assertTrue(error.getMessage().contains("max.request.size"), error.getMessage());
    }

    private static DeadLetterProcessor.DeadLetter letter(byte[] key, byte[] value, int budget) {
        SourceRecord source = new SourceRecord("examples.labelled", 0, 7, 1L, key, value);
        return DeadLetterProcessor.toDeadLetter(new Rejection(ReasonCode.MALFORMED, "neither JSON nor Avro", source),
                budget, 1L);
    }

    private static RejectedRecord decode(DeadLetterProcessor.DeadLetter letter) {
        return AvroCodec.of(RejectedRecord.class).decode(letter.value());
    }

    private static byte[] filled(int size, char c) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
