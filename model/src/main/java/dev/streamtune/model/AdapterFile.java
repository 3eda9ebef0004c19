package dev.streamtune.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtune.model.nn.LoraTarget;
import dev.streamtune.model.peft.PeftMethod;
import dev.streamtune.model.peft.PeftMethods;
import dev.streamtune.model.weights.Dtype;
import dev.streamtune.model.weights.SafetensorsFile;
import dev.streamtune.model.weights.SafetensorsFormatException;
import dev.streamtune.model.weights.SafetensorsReader;
import dev.streamtune.model.weights.SafetensorsWriter;
import dev.streamtune.model.weights.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The adapter file: a safetensors file whose tensors are everything a classifier adds to its base model (LoRA
 * A/B matrices, the head, any fully fine-tuned top layers, all fp32 under PEFT/HuggingFace names) and whose
 * {@code __metadata__} says what it is:
 *
 * <pre>
 *   format                streamtune-adapter
 *   format_version        1
 *   base_model_id         sentence-transformers/all-MiniLM-L6-v2
 *   base_model_sha256     SHA-256 of the base weights + tokenizer ({@link BaseModel#checksum()})
 *   labels                ["negative","positive"]            (JSON, logit order)
 *   learned_labels        ["negative"]   the labels it has seen training examples for (JSON, logit order);
 *                         absent in files written before it was recorded
 *   lora_rank / lora_alpha / lora_dropout / lora_targets   8 / 16.0 / 0.0 / query,value
 *   lora_first_layer      0   lowest encoder layer with adapters; absent in older files: read as 0
 *   lora_rank_stabilized  true  rsLoRA scaling alpha / sqrt(r) (format 2 only; absent: alpha / r)
 *   peft_method           prefix-tuning   a method beside LoRA ({@link PeftMethods}; format 2 only; absent: none)
 *   peft_settings         {"tokens":"10"}  its settings (JSON object of strings)
 *   trainable_top_layers  0
 *   hidden_dropout / attention_dropout / classifier_dropout / max_sequence_length / seed
 *   lineage               {"parent":"...","topic_offsets":"..."}  (JSON object of strings, free-form)
 *   temperature           1.37   divides the logits before the softmax ({@link TemperatureScaling});
 *                         absent in files written before calibration: read as 1
 *   tensors_sha256        SHA-256 over the tensors' names, shapes and values
 * </pre>
 *
 * A file that uses rsLoRA or a method beside LoRA is written as format version 2, which builds that predate them
 * refuse with a clear message rather than misread (an rsLoRA file read with plain scaling would load and answer
 * wrongly); every other file stays version 1, readable by those builds.
 *
 * <p>Reading checks the structure, the format marker, the tensor checksum and that every value is finite, so a
 * truncated, altered or diverged file fails with {@link CorruptAdapterException}; {@link TextClassifier#load} additionally refuses a file whose
 * {@code base_model_sha256} differs from the base model's ({@link BaseModelMismatchException}).
 */
public final class AdapterFile {

    public static final String FORMAT = "streamtune-adapter";
    /** The version of files that need no feature beyond format 1. */
    public static final int FORMAT_VERSION = 1;
    /** The version of files that use rsLoRA or a {@link PeftMethod} (see the class comment). */
    public static final int PEFT_FORMAT_VERSION = 2;
    static final String LORA_RANK_STABILIZED = "lora_rank_stabilized";
    static final String PEFT_METHOD = "peft_method";
    static final String PEFT_SETTINGS = "peft_settings";

    /** Added within format version 1: readers take its absence as "not recorded", so older files stay readable. */
    static final String LEARNED_LABELS = "learned_labels";
    /** Added within format version 1: absent means 1 (uncalibrated), which is what older files computed. */
    static final String TEMPERATURE = "temperature";
    /** Added within format version 1: absent means 0 (adapters in every layer), which is what older files hold. */
    static final String LORA_FIRST_LAYER = "lora_first_layer";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AdapterFile() {}

    /**
     * What an adapter file says about itself.
     *
     * @param baseModelId id of the base model it was trained on
     * @param baseModelChecksum that base model's {@link BaseModel#checksum()}
     * @param classifier labels, LoRA settings, unfrozen layers, dropouts, sequence length, seed
     * @param lineage free-form training lineage (parent adapter, data offsets, step counts, ...)
     * @param learnedLabels the labels of {@code classifier} it has seen training examples for, in logit order; null
     *     when not recorded (files written before this field existed). A head declares every label of a task up
     *     front, so its labels alone do not say which classes it can answer.
     * @param temperature divides the logits before the softmax in predictions (fitted on a validation split by
     *     {@link TemperatureScaling}); 1 when not calibrated
     */
    public record Metadata(String baseModelId, String baseModelChecksum, ClassifierConfig classifier,
            Map<String, String> lineage, List<String> learnedLabels, float temperature) {

        public Metadata {
            TemperatureScaling.requireValid(temperature);
            lineage = Map.copyOf(lineage);
            if (learnedLabels != null) {
                Set<String> learned = Set.copyOf(learnedLabels);
                if (!classifier.labels().containsAll(learned)) {
                    throw new IllegalArgumentException("learned labels " + learnedLabels
                            + " are not all among the head's labels " + classifier.labels());
                }
                learnedLabels = classifier.labels().stream().filter(learned::contains).toList();
            }
        }

        /** Uncalibrated metadata (temperature 1). */
        public Metadata(String baseModelId, String baseModelChecksum, ClassifierConfig classifier,
                Map<String, String> lineage, List<String> learnedLabels) {
            this(baseModelId, baseModelChecksum, classifier, lineage, learnedLabels, 1f);
        }

        /** Metadata that does not record which labels were learned. */
        public Metadata(String baseModelId, String baseModelChecksum, ClassifierConfig classifier,
                Map<String, String> lineage) {
            this(baseModelId, baseModelChecksum, classifier, lineage, null);
        }
    }

    /** A read adapter: its metadata and its tensors by name. */
    public record Contents(Metadata metadata, Map<String, Tensor> tensors) {}

    /** Writes an adapter file (atomically: a reader never sees a half-written file). */
    public static void write(Path file, Metadata metadata, Collection<Tensor> tensors) throws IOException {
        List<Tensor> sorted = tensors.stream().sorted(Comparator.comparing(Tensor::name)).toList();
        ClassifierConfig c = metadata.classifier();
        Map<String, String> meta = new TreeMap<>();
        meta.put("format", FORMAT);
        boolean beyondVersion1 = c.lora().rankStabilized() || c.peft() != null;
        meta.put("format_version", Integer.toString(beyondVersion1 ? PEFT_FORMAT_VERSION : FORMAT_VERSION));
        meta.put("base_model_id", metadata.baseModelId());
        meta.put("base_model_sha256", metadata.baseModelChecksum());
        meta.put("labels", JSON.writeValueAsString(c.labels()));
        meta.put("lora_rank", Integer.toString(c.lora().rank()));
        meta.put("lora_alpha", Float.toString(c.lora().alpha()));
        meta.put("lora_dropout", Float.toString(c.lora().dropout()));
        meta.put("lora_targets", String.join(",",
                c.lora().targets().stream().sorted().map(t -> t.name().toLowerCase(Locale.ROOT)).toList()));
        meta.put(LORA_FIRST_LAYER, Integer.toString(c.lora().firstLayer()));
        if (c.lora().rankStabilized()) {
            meta.put(LORA_RANK_STABILIZED, "true");
        }
        if (c.peft() != null) {
            meta.put(PEFT_METHOD, c.peft().kind());
            meta.put(PEFT_SETTINGS, JSON.writeValueAsString(new TreeMap<>(c.peft().settings())));
        }
        meta.put("trainable_top_layers", Integer.toString(c.trainableTopLayers()));
        meta.put("hidden_dropout", Float.toString(c.hiddenDropout()));
        meta.put("attention_dropout", Float.toString(c.attentionDropout()));
        meta.put("classifier_dropout", Float.toString(c.classifierDropout()));
        meta.put("max_sequence_length", Integer.toString(c.maxSequenceLength()));
        meta.put("seed", Long.toString(c.seed()));
        meta.put("lineage", JSON.writeValueAsString(new TreeMap<>(metadata.lineage())));
        if (metadata.learnedLabels() != null) {
            meta.put(LEARNED_LABELS, JSON.writeValueAsString(metadata.learnedLabels()));
        }
        meta.put(TEMPERATURE, Float.toString(metadata.temperature()));
        meta.put("tensors_sha256", tensorChecksum(sorted));
        SafetensorsWriter.write(file, sorted, meta, Dtype.F32);
    }

    /**
     * Reads and verifies an adapter file.
     *
     * @throws CorruptAdapterException if the file is not an intact adapter file
     * @throws NoSuchFileException if there is no such file
     */
    public static Contents read(Path file) throws IOException {
        SafetensorsFile st;
        try {
            st = SafetensorsReader.read(file);
        } catch (SafetensorsFormatException e) {
            throw new CorruptAdapterException("adapter file " + file + " is corrupt: " + e.getMessage(), e);
        }
        Map<String, String> m = st.metadata();
        if (!FORMAT.equals(m.get("format"))) {
            throw new CorruptAdapterException("adapter file " + file + " is not a " + FORMAT + " file (format="
                    + m.get("format") + ")");
        }
        if (!Integer.toString(FORMAT_VERSION).equals(m.get("format_version"))
                && !Integer.toString(PEFT_FORMAT_VERSION).equals(m.get("format_version"))) {
            throw new CorruptAdapterException("adapter file " + file + " has format_version "
                    + m.get("format_version") + "; this build reads versions " + FORMAT_VERSION + " and "
                    + PEFT_FORMAT_VERSION);
        }
        List<Tensor> sorted = st.tensors().values().stream().sorted(Comparator.comparing(Tensor::name)).toList();
        String expected = m.get("tensors_sha256");
        String actual = tensorChecksum(sorted);
        if (!actual.equals(expected)) {
            throw new CorruptAdapterException("adapter file " + file + " is corrupt: tensor checksum " + actual
                    + " does not match the recorded " + expected);
        }
        for (Tensor tensor : sorted) {
            checkFinite(file, tensor);
        }
        Metadata metadata;
        try {
            metadata = parseMetadata(m);
        } catch (RuntimeException | JsonProcessingException e) {
            throw new CorruptAdapterException("adapter file " + file + " has invalid metadata: " + e.getMessage(), e);
        }
        return new Contents(metadata, st.tensors());
    }

    /** A NaN or infinite weight makes every prediction NaN: such a file is refused, whatever its checksums say. */
    private static void checkFinite(Path file, Tensor tensor) throws CorruptAdapterException {
        for (float value : tensor.data()) {
            if (!Float.isFinite(value)) {
                throw new CorruptAdapterException("adapter file " + file.getFileName() + " is corrupt: tensor "
                        + tensor.name() + " holds a non-finite value (NaN or infinity)");
            }
        }
    }

    private static Metadata parseMetadata(Map<String, String> m) throws JsonProcessingException {
        List<String> labels = JSON.readValue(need(m, "labels"), new TypeReference<List<String>>() {});
        Set<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
        for (String t : need(m, "lora_targets").split(",")) {
            if (!t.isBlank()) {
                targets.add(LoraTarget.valueOf(t.trim().toUpperCase(Locale.ROOT)));
            }
        }
        LoraConfig lora = new LoraConfig(Integer.parseInt(need(m, "lora_rank")), Float.parseFloat(need(m, "lora_alpha")),
                Float.parseFloat(need(m, "lora_dropout")), targets,
                Integer.parseInt(m.getOrDefault(LORA_FIRST_LAYER, "0")),
                Boolean.parseBoolean(m.getOrDefault(LORA_RANK_STABILIZED, "false")));
        PeftMethod peft = null;
        if (m.containsKey(PEFT_METHOD)) {
            // An unknown kind fails here, naming the kinds this build knows.
            peft = PeftMethods.of(m.get(PEFT_METHOD),
                    JSON.readValue(m.getOrDefault(PEFT_SETTINGS, "{}"), new TypeReference<Map<String, String>>() {}));
        }
        ClassifierConfig classifier = new ClassifierConfig(labels, lora,
                Integer.parseInt(need(m, "trainable_top_layers")), Float.parseFloat(need(m, "hidden_dropout")),
                Float.parseFloat(need(m, "attention_dropout")), Float.parseFloat(need(m, "classifier_dropout")),
                Integer.parseInt(need(m, "max_sequence_length")), Long.parseLong(need(m, "seed")), peft);
        Map<String, String> lineage = new HashMap<>(
                JSON.readValue(m.getOrDefault("lineage", "{}"), new TypeReference<Map<String, String>>() {}));
        List<String> learned = m.containsKey(LEARNED_LABELS)
                ? JSON.readValue(m.get(LEARNED_LABELS), new TypeReference<List<String>>() {}) : null;
        float temperature = m.containsKey(TEMPERATURE) ? Float.parseFloat(m.get(TEMPERATURE)) : 1f;
        return new Metadata(need(m, "base_model_id"), need(m, "base_model_sha256"), classifier, lineage, learned,
                temperature);
    }

    private static String need(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing metadata key " + key);
        }
        return v;
    }

    static String tensorChecksum(List<Tensor> sortedTensors) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Tensor t : sortedTensors) {
            sha.update(t.name().getBytes(StandardCharsets.UTF_8));
            ByteBuffer buf = ByteBuffer.allocate(8 * t.shape().length + 4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
            for (long d : t.shape()) {
                buf.putLong(d);
            }
            buf.asFloatBuffer().put(t.data());
            sha.update(buf.array());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
