package dev.streamtune.trainer.replay;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import dev.streamtune.contract.AvroCodec;
import dev.streamtune.schema.CleanExample;

/**
 * A bounded memory of past training examples, balanced across labels, for experience replay. Each label keeps a
 * reservoir sample (Vitter's algorithm R) of everything offered to it; the size the {@link Limits} allow is split
 * evenly between the labels seen, so a rare class keeps as many slots as a frequent one. While the allowed size grows
 * with the examples seen (a share limit), a label with a free slot keeps its next example, so the sample leans a
 * little towards later examples; at a fixed size it is uniform. Saved to and loaded from a file so it survives
 * restarts.
 */
public final class ReplayBuffer {

    private static final int FILE_MAGIC = 0x52504c31; // "RPL1"

    /**
     * How many examples the buffer may hold: {@code min(capacity, max(minPerLabel * labels, ceil(maxShareOfSeen *
     * examples offered)))}. The share keeps the memory a fixed fraction of the stream (a privacy and storage
     * budget: the buffer is the only copy of old examples the trainer keeps) while the floor keeps a few examples per
     * label when little has been seen.
     *
     * @param maxShareOfSeen in (0, 1]; 1 = no share limit
     * @param minPerLabel    floor per label, applied under the share (never above {@code capacity})
     */
    public record Limits(int capacity, double maxShareOfSeen, int minPerLabel) {

        public Limits {
            if (capacity < 1) {
                throw new IllegalArgumentException("Replay capacity must be positive, was " + capacity);
            }
            if (!(maxShareOfSeen > 0 && maxShareOfSeen <= 1)) {
                throw new IllegalArgumentException("Replay share of examples seen must be in (0, 1], was "
                        + maxShareOfSeen);
            }
            if (minPerLabel < 0) {
                throw new IllegalArgumentException("Replay floor per label must not be negative, was " + minPerLabel);
            }
        }

        /** At most {@code capacity}, whatever was seen. */
        public static Limits fixed(int capacity) {
            return new Limits(capacity, 1, 0);
        }

        int allowed(int labels, long seen) {
            if (maxShareOfSeen >= 1) {
                return capacity; // no share limit (a buffer never holds more than it was offered anyway)
            }
            long byShare = (long) Math.ceil(maxShareOfSeen * seen);
            return (int) Math.min(capacity, Math.max((long) minPerLabel * labels, byShare));
        }
    }

    private final Limits limits;
    private final Random random;
    private final TreeMap<String, LabelReservoir> byLabel = new TreeMap<>();
    private long seenTotal;

    public ReplayBuffer(int capacity, long seed) {
        this(Limits.fixed(capacity), seed);
    }

    public ReplayBuffer(Limits limits, long seed) {
        this.limits = limits;
        this.random = new Random(seed);
    }

    public void offer(CleanExample example) {
        seenTotal++; // before a new label's shrink, so the example being offered counts towards the share
        LabelReservoir reservoir = byLabel.get(example.getLabel());
        if (reservoir == null) {
            reservoir = new LabelReservoir();
            byLabel.put(example.getLabel(), reservoir);
            shrinkToShare();
        }
        reservoir.seen++;
        int share = share();
        if (reservoir.items.size() < share) {
            reservoir.items.add(example);
        } else {
            long slot = (long) (random.nextDouble() * reservoir.seen);
            if (slot < share) {
                reservoir.items.set((int) slot, example);
            }
        }
    }

    /** {@code n} examples drawn with replacement: a label uniformly, then an example of it uniformly. */
    public List<CleanExample> sample(int n, Random draw) {
        List<LabelReservoir> filled = byLabel.values().stream().filter(r -> !r.items.isEmpty()).toList();
        List<CleanExample> sample = new ArrayList<>(n);
        if (filled.isEmpty()) {
            return sample;
        }
        for (int i = 0; i < n; i++) {
            List<CleanExample> items = filled.get(draw.nextInt(filled.size())).items;
            sample.add(items.get(draw.nextInt(items.size())));
        }
        return sample;
    }

    /** Every example held, label by label (each label's in reservoir order). */
    public List<CleanExample> all() {
        List<CleanExample> all = new ArrayList<>(size());
        byLabel.values().forEach(reservoir -> all.addAll(reservoir.items));
        return all;
    }

    public int size() {
        return byLabel.values().stream().mapToInt(r -> r.items.size()).sum();
    }

    public Map<String, Integer> sizeByLabel() {
        TreeMap<String, Integer> sizes = new TreeMap<>();
        byLabel.forEach((label, reservoir) -> sizes.put(label, reservoir.items.size()));
        return sizes;
    }

    /** Writes the buffer atomically (temp file + rename), so a crash leaves the previous file intact. */
    public void save(Path file) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        AvroCodec<CleanExample> codec = AvroCodec.of(CleanExample.class);
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(temp)))) {
            out.writeInt(FILE_MAGIC);
            out.writeInt(byLabel.size());
            for (var entry : byLabel.entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeLong(entry.getValue().seen);
                out.writeInt(entry.getValue().items.size());
                for (CleanExample example : entry.getValue().items) {
                    byte[] bytes = codec.encode(example);
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
            }
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static ReplayBuffer load(Path file, int capacity, long seed) throws IOException {
        return load(file, Limits.fixed(capacity), seed);
    }

    /** The buffer saved in {@code file}, or an empty one when there is none yet. */
    public static ReplayBuffer loadOrEmpty(Path file, Limits limits, long seed) throws IOException {
        return Files.exists(file) ? load(file, limits, seed) : new ReplayBuffer(limits, seed);
    }

    public static ReplayBuffer load(Path file, Limits limits, long seed) throws IOException {
        ReplayBuffer buffer = new ReplayBuffer(limits, seed);
        AvroCodec<CleanExample> codec = AvroCodec.of(CleanExample.class);
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != FILE_MAGIC) {
                throw new IOException(file + " is not a replay buffer file");
            }
            int labels = in.readInt();
            for (int l = 0; l < labels; l++) {
                LabelReservoir reservoir = new LabelReservoir();
                String label = in.readUTF();
                reservoir.seen = in.readLong();
                int items = in.readInt();
                for (int i = 0; i < items; i++) {
                    reservoir.items.add(codec.decode(in.readNBytes(in.readInt())));
                }
                buffer.byLabel.put(label, reservoir);
                buffer.seenTotal += reservoir.seen;
            }
        }
        buffer.shrinkToShare(); // the limits may have been lowered since the file was written
        return buffer;
    }

    /** Examples offered so far, kept or not. */
    public long seen() {
        return seenTotal;
    }

    /** Each label's slots: the allowed size split evenly (at least 1, so a label's first example is kept). */
    private int share() {
        return Math.max(1, limits.allowed(byLabel.size(), seenTotal) / Math.max(1, byLabel.size()));
    }

    /** A new label takes its share from the others: each drops random items down to the new share. */
    private void shrinkToShare() {
        int share = share();
        for (LabelReservoir reservoir : byLabel.values()) {
            while (reservoir.items.size() > share) {
                reservoir.items.remove(random.nextInt(reservoir.items.size()));
            }
        }
    }

    private static final class LabelReservoir {
        final List<CleanExample> items = new ArrayList<>();
        long seen;
    }
}
