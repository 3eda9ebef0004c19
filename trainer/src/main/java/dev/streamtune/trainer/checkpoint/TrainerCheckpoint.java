package dev.streamtune.trainer.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import dev.streamtune.contract.AvroCodec;
import dev.streamtune.model.OptimizerState;
import dev.streamtune.model.optimizer.AdamW;
import dev.streamtune.model.weights.Dtype;
import dev.streamtune.model.weights.SafetensorsFile;
import dev.streamtune.model.weights.SafetensorsReader;
import dev.streamtune.model.weights.SafetensorsWriter;
import dev.streamtune.model.weights.Tensor;
import dev.streamtune.schema.AdapterCandidate;

/**
 * The trainer's durable state under {@code <home>/trainer} (where to resume reading is the group's committed
 * offsets, in Kafka): each task's strategy state (each strategy owns its files; replay and EWC shown below), and
 * the in-progress round (adapter weights so far and how many batches they have seen). Every file is
 * written to a temporary name and renamed, so a crash leaves the previous version intact.
 *
 * <pre>
 * tasks/&lt;task&gt;/replay.bin         ReplayStrategy: replay reservoir
 * tasks/&lt;task&gt;/fisher.safetensors  EwcStrategy: "fisher/&lt;param&gt;" and "anchor/&lt;param&gt;" tensors
 * tasks/&lt;task&gt;/round.properties   in-progress round: candidate id, batches done
 * tasks/&lt;task&gt;/round.adapter      in-progress round: weights after those batches
 * tasks/&lt;task&gt;/round.optimizer    in-progress round: the optimizer's state (safetensors): metadata "method"
 *                                  and "steps", one "&lt;slot&gt;/&lt;param&gt;" tensor per state slot and parameter
 *                                  (AdamW "m/" and "v/"; a file without "method" is AdamW's, as written before
 *                                  the optimizer became configurable)
 * tasks/&lt;task&gt;/pending.candidate  a trained candidate whose strategy state is saved, not yet published
 * </pre>
 */
public final class TrainerCheckpoint {

    private final Path dir;

    public TrainerCheckpoint(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("tasks"));
    }

    /**
     * A round of training that was interrupted: resume it by loading its adapter and optimizer state and skipping
     * its batches.
     */
    public record Round(String candidateId, int batchesDone, Path adapter, OptimizerState optimizer) {
    }

    /**
     * The task's checkpoint directory, created if needed: the task's continual-learning strategies save their state
     * here ({@link dev.streamtune.trainer.strategy.ContinualStrategy#save}), next to the round files.
     */
    public Path taskDirectory(String task) throws IOException {
        return taskDir(task);
    }

    /** Where the in-progress round's weights go; write there, then {@link #saveRound}. */
    public Path roundAdapter(String task) throws IOException {
        return taskDir(task).resolve("round.adapter.tmp");
    }

    public void saveRound(String task, String candidateId, int batchesDone, OptimizerState optimizer)
            throws IOException {
        Path dirOfTask = taskDir(task);
        List<Tensor> slots = new ArrayList<>();
        optimizer.slots().forEach((slot, values) -> values.forEach((name, v) -> slots.add(vector(slot + "/" + name,
                v))));
        SafetensorsWriter.write(dirOfTask.resolve("round.optimizer.tmp"), slots,
                Map.of("method", optimizer.method(), "steps", Integer.toString(optimizer.steps())), Dtype.F32);
        Files.move(dirOfTask.resolve("round.optimizer.tmp"), dirOfTask.resolve("round.optimizer"),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(dirOfTask.resolve("round.adapter.tmp"), dirOfTask.resolve("round.adapter"),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Properties props = new Properties();
        props.setProperty("candidate", candidateId);
        props.setProperty("batches", Integer.toString(batchesDone));
        write(dirOfTask.resolve("round.properties"), props);
    }

    public Optional<Round> round(String task) throws IOException {
        Properties props = read(taskDir(task).resolve("round.properties"));
        Path adapter = taskDir(task).resolve("round.adapter");
        Path optimizer = taskDir(task).resolve("round.optimizer");
        if (props.isEmpty() || !Files.exists(adapter) || !Files.exists(optimizer)) {
            return Optional.empty();
        }
        SafetensorsFile saved = SafetensorsReader.read(optimizer);
        Map<String, Map<String, float[]>> slots = new TreeMap<>();
        saved.tensors().forEach((name, tensor) -> {
            int slash = name.indexOf('/');
            if (slash <= 0) {
                throw new IllegalStateException(optimizer + ": tensor " + name + " is not <slot>/<parameter>");
            }
            slots.computeIfAbsent(name.substring(0, slash), slot -> new HashMap<>())
                    .put(name.substring(slash + 1), tensor.data());
        });
        // Files written before the optimizer became configurable have no method: they are AdamW's (m/ and v/).
        String method = saved.metadata().getOrDefault("method", AdamW.NAME);
        return Optional.of(new Round(props.getProperty("candidate"), Integer.parseInt(props.getProperty("batches")),
                adapter, new OptimizerState(method, Integer.parseInt(saved.metadata().get("steps")), slots)));
    }

    /** Records a finished round before it is published, so a crash in between publishes it instead of retraining. */
    public void savePending(String task, AdapterCandidate candidate) throws IOException {
        Path file = taskDir(task).resolve("pending.candidate");
        Path temp = file.resolveSibling("pending.candidate.tmp");
        Files.write(temp, AvroCodec.of(AdapterCandidate.class).encode(candidate));
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public Optional<AdapterCandidate> pending(String task) throws IOException {
        Path file = taskDir(task).resolve("pending.candidate");
        return Files.exists(file) ? Optional.of(AvroCodec.of(AdapterCandidate.class).decode(Files.readAllBytes(file)))
                : Optional.empty();
    }

    /** Tasks with a checkpoint directory, to look for pending candidates at start-up. */
    public List<String> tasks() throws IOException {
        try (var dirs = Files.list(dir.resolve("tasks"))) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    public void clearRound(String task) throws IOException {
        Files.deleteIfExists(taskDir(task).resolve("round.properties"));
        Files.deleteIfExists(taskDir(task).resolve("round.adapter"));
        Files.deleteIfExists(taskDir(task).resolve("round.optimizer"));
        Files.deleteIfExists(taskDir(task).resolve("pending.candidate"));
    }

    private Path taskDir(String task) throws IOException {
        return Files.createDirectories(dir.resolve("tasks").resolve(task));
    }

    private static Tensor vector(String name, float[] values) {
        return new Tensor(name, new long[] {values.length}, values);
    }

    private static Properties read(Path file) throws IOException {
        Properties props = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            }
        }
        return props;
    }

    private static void write(Path file, Properties props) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            props.store(out, "Streamtune trainer checkpoint");
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
