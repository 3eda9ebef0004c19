package dev.streamtune.ingest.split;

import dev.streamtune.schema.Split;

/**
 * Deterministic split by content hash: the first 64 bits of the hash, modulo 10 000, against the task's ratios.
 * The same content always gets the same split, so a text never sits in two splits, whichever run or replica saw
 * it; and since SHA-256 bits are uniform, the shares converge to the ratios.
 */
public final class SplitAssigner {

    static final int BUCKETS = 10_000;

    private SplitAssigner() {
    }

    public static Split assign(String contentHashHex, double trainRatio, double validationRatio) {
        long bucket = Long.remainderUnsigned(Long.parseUnsignedLong(contentHashHex.substring(0, 16), 16), BUCKETS);
        long trainUpTo = Math.round(trainRatio * BUCKETS);
        long validationUpTo = trainUpTo + Math.round(validationRatio * BUCKETS);
        if (bucket < trainUpTo) {
            return Split.TRAIN;
        }
        return bucket < validationUpTo ? Split.VALIDATION : Split.TEST;
    }
}
