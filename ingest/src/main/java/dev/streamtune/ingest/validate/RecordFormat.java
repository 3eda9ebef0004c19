package dev.streamtune.ingest.validate;

import dev.streamtune.contract.AvroCodec;

/** How an input record is encoded, sniffed per record from its first bytes. */
public enum RecordFormat {
    AVRO, JSON, UNKNOWN;

    /** Avro single-object encoding starts with C3 01; a JSON object with '{' after optional whitespace. */
    public static RecordFormat of(byte[] value) {
        if (value == null || value.length == 0) {
            return UNKNOWN;
        }
        if (AvroCodec.isSingleObjectEncoded(value)) {
            return AVRO;
        }
        for (byte b : value) {
            if (b == '{') {
                return JSON;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return UNKNOWN;
            }
        }
        return UNKNOWN;
    }
}
