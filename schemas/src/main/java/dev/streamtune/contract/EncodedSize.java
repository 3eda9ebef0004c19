package dev.streamtune.contract;

import java.util.IdentityHashMap;
import java.util.Set;
import java.util.Collections;

import org.apache.avro.Schema;

/**
 * What {@link PayloadDecoder}'s collection guard relies on: every array item takes at least one byte, so an array
 * cannot have more items than its payload has bytes left. (Map entries always do: each key carries its length.)
 * An array of {@code null}, of an empty record or of a zero-size fixed would break that; no schema of ours has one,
 * and this check keeps it so.
 */
final class EncodedSize {

    private EncodedSize() {
    }

    static void requireItemsOfAtLeastOneByte(Schema schema) {
        check(schema, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void check(Schema schema, Set<Schema> seen) {
        if (!seen.add(schema)) {
            return;
        }
        switch (schema.getType()) {
            case RECORD -> schema.getFields().forEach(field -> check(field.schema(), seen));
            case UNION -> schema.getTypes().forEach(branch -> check(branch, seen));
            case MAP -> check(schema.getValueType(), seen);
            case ARRAY -> {
                if (canBeEmpty(schema.getElementType(), Collections.newSetFromMap(new IdentityHashMap<>()))) {
                    throw new IllegalStateException("Schema " + schema + " has array items that can be encoded in "
                            + "zero bytes; the decoder's item-count guard needs at least one byte per item");
                }
                check(schema.getElementType(), seen);
            }
            default -> {
            }
        }
    }

    private static boolean canBeEmpty(Schema schema, Set<Schema> seen) {
        return switch (schema.getType()) {
            case NULL -> true;
            case FIXED -> schema.getFixedSize() == 0;
            case RECORD -> seen.add(schema) && schema.getFields().stream().allMatch(f -> canBeEmpty(f.schema(), seen));
            default -> false; // numbers, strings, bytes, enums, unions (the branch index) and collections take a byte
        };
    }
}
