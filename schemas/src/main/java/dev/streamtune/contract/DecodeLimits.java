package dev.streamtune.contract;

import org.apache.avro.SystemLimitException;

/**
 * Caps on what one decoded record may declare, on top of the rule that nothing may be longer than the rest of its
 * payload (which {@link PayloadDecoder} always enforces). Read from the same system properties Avro's own decoder
 * documents ({@code org.apache.avro.limits.string.maxLength}, {@code ...bytes.maxLength},
 * {@code ...collectionItems.maxLength}), so one setting governs both; unset, the payload bound alone applies.
 *
 * @param maxStringBytes     longest string, in UTF-8 bytes
 * @param maxBytesLength     longest bytes value
 * @param maxCollectionItems most items in one array or map block
 */
public record DecodeLimits(int maxStringBytes, int maxBytesLength, int maxCollectionItems) {

    /** Java's largest array: beyond it an allocation fails whatever the heap. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    public DecodeLimits {
        if (maxStringBytes < 0 || maxBytesLength < 0 || maxCollectionItems < 0) {
            throw new IllegalArgumentException("decode limits must not be negative");
        }
    }

    /** The limits set by system properties at start-up, each defaulting to no cap beyond the payload's size. */
    public static DecodeLimits fromSystemProperties() {
        return new DecodeLimits(property(SystemLimitException.MAX_STRING_LENGTH_PROPERTY),
                property(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY),
                property(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY));
    }

    private static int property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return MAX_ARRAY;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed < 0) {
                throw new IllegalArgumentException(name + " must not be negative: " + value);
            }
            return (int) Math.min(parsed, MAX_ARRAY);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: " + value, e);
        }
    }
}
