package dev.streamtune.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Token ids of a batch of texts, truncated to a maximum length and right-padded to the longest one rounded up to
 * a multiple of 8. The padding mask is only built when some sequence is actually padded.
 */
final class TokenBatch {

    private static final int PAD_MULTIPLE = 8;

    final int size;
    final int length;
    final long[] ids;
    final long[] typeIds;
    final float[] valid; // null when nothing is padded
    final int tokenCount;
    final long[][] sequences; // each text's ids, unpadded

    private TokenBatch(long[][] sequences, int length, long[] ids, long[] typeIds, float[] valid, int tokenCount) {
        this.sequences = sequences;
        this.size = sequences.length;
        this.length = length;
        this.ids = ids;
        this.typeIds = typeIds;
        this.valid = valid;
        this.tokenCount = tokenCount;
    }

    /** Ids of one text with [CLS]/[SEP], cut to {@code maxLength} keeping the final [SEP]. */
    static long[] encode(HuggingFaceTokenizer tokenizer, String text, int maxLength) {
        Encoding e = tokenizer.encode(text);
        long[] ids = e.getIds();
        if (ids.length <= maxLength) {
            return ids;
        }
        long[] cut = new long[maxLength];
        System.arraycopy(ids, 0, cut, 0, maxLength - 1);
        cut[maxLength - 1] = ids[ids.length - 1];
        return cut;
    }

    /** Ids of each text, as {@link #encode}. */
    static long[][] encodeAll(HuggingFaceTokenizer tokenizer, List<String> texts, int maxLength) {
        long[][] seqs = new long[texts.size()][];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = encode(tokenizer, texts.get(i), maxLength);
        }
        return seqs;
    }

    /**
     * Positions of {@code seqs} in chunks of at most {@code chunk}, shortest sequences first, so texts of similar
     * length share a padded batch and little compute is spent on padding.
     */
    static List<int[]> chunksByLength(long[][] seqs, int chunk) {
        Integer[] order = new Integer[seqs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> seqs[i].length));
        List<int[]> chunks = new java.util.ArrayList<>();
        for (int from = 0; from < order.length; from += chunk) {
            int to = Math.min(order.length, from + chunk);
            int[] positions = new int[to - from];
            for (int i = from; i < to; i++) {
                positions[i - from] = order[i];
            }
            chunks.add(positions);
        }
        return chunks;
    }

    /** The sequences at {@code positions}, as one batch. */
    static TokenBatch of(long[][] seqs, int[] positions, int maxLength) {
        long[][] chunk = new long[positions.length][];
        for (int i = 0; i < positions.length; i++) {
            chunk[i] = seqs[positions[i]];
        }
        return of(chunk, maxLength);
    }

    static TokenBatch of(HuggingFaceTokenizer tokenizer, List<String> texts, int maxLength) {
        return of(encodeAll(tokenizer, texts, maxLength), maxLength);
    }

    static TokenBatch of(long[][] seqs, int maxLength) {
        if (seqs.length == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        int longest = 0;
        int shortest = Integer.MAX_VALUE;
        int tokens = 0;
        for (long[] s : seqs) {
            longest = Math.max(longest, s.length);
            shortest = Math.min(shortest, s.length);
            tokens += s.length;
        }
        int rounded = (longest + PAD_MULTIPLE - 1) / PAD_MULTIPLE * PAD_MULTIPLE;
        int length = Math.max(longest, Math.min(maxLength, rounded));
        int n = seqs.length;
        long[] ids = new long[n * length];
        long[] types = new long[n * length];
        float[] valid = (shortest == length) ? null : new float[n * length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(seqs[i], 0, ids, i * length, seqs[i].length);
            if (valid != null) {
                java.util.Arrays.fill(valid, i * length, i * length + seqs[i].length, 1f);
            }
        }
        return new TokenBatch(seqs, length, ids, types, valid, tokens);
    }

    /** The {@code validMask} input {@code [size, length]} in {@code manager}, or null when nothing is padded. */
    NDArray validMask(NDManager manager) {
        return valid == null ? null : manager.create(valid, new Shape(size, length));
    }

    /** {@code [inputIds, tokenTypeIds]} plus {@code validMask} when padded, created in {@code manager}. */
    NDList toInputs(NDManager manager) {
        Shape shape = new Shape(size, length);
        NDList list = new NDList(manager.create(ids, shape), manager.create(typeIds, shape));
        if (valid != null) {
            list.add(manager.create(valid, shape));
        }
        return list;
    }
}
