package dev.streamtune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.streamtune.model.nn.BertClassifier;
import dev.streamtune.model.nn.BertEncoder;
import dev.streamtune.model.nn.ClassifierHead;
import dev.streamtune.model.nn.LoraTarget;
import dev.streamtune.model.weights.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A text classifier: a shared {@link BaseModel} plus this classifier's own arrays (LoRA adapters, the head, and
 * copies of any fully fine-tuned top layers). Created fresh for a label set, or loaded from an adapter file.
 *
 * <p>{@link #predict} is thread-safe and deterministic. Each call works in its own short-lived NDManager, so the
 * native memory in use does not grow with the number of calls. {@link #close()} waits for in-flight predictions
 * and then frees this classifier's arrays (never the base model's), which makes hot-swapping safe: publish the
 * new classifier, then close the old one.
 *
 * <p>The arrays are inference-only (no gradients) unless a {@link TrainingSession} is open on the classifier.
 */
public final class TextClassifier implements TextPredictor {

    /** Texts per forward pass of {@link #predict} (and of the ONNX engine's). */
    static final int PREDICT_BATCH = 64;
    private static final float HEAD_INIT_STD = 0.02f; // BERT's initializer_range

    private final BaseModel base;
    private final ClassifierConfig config;
    private final Map<String, String> lineage;
    private final NDManager manager;
    private final Map<String, NDArray> own; // trainable arrays by name, owned here
    private final Map<String, Parameter> trainable;
    private final BertClassifier block;
    private final Lifecycle lifecycle;
    private final java.util.concurrent.atomic.AtomicBoolean training = new java.util.concurrent.atomic.AtomicBoolean();
    /** Labels this classifier has seen training examples for, its file's record included. */
    private final Set<String> learnedLabels = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** False for a classifier loaded from a file that predates the record, until told what it learned before. */
    private volatile boolean learnedLabelsKnown;
    /** Divides the logits before the softmax of {@link #predict}; 1 until {@linkplain #calibrate calibrated}. */
    private volatile float temperature;

    private TextClassifier(BaseModel base, ClassifierConfig config, Map<String, String> lineage,
            List<String> learnedLabels, float temperature, NDManager manager, Map<String, NDArray> own) {
        this.base = base;
        this.temperature = TemperatureScaling.requireValid(temperature);
        this.learnedLabelsKnown = learnedLabels != null;
        if (learnedLabels != null) {
            this.learnedLabels.addAll(learnedLabels);
        }
        this.config = config;
        this.lineage = Map.copyOf(lineage);
        this.manager = manager;
        this.own = Collections.unmodifiableMap(own);
        BertEncoder encoder = EncoderAssembly.build(base.config(), name -> own.getOrDefault(name, base.weight(name)),
                config.lora(), config.frozenBottomLayers(base.config().numLayers()), config.attentionDropout(),
                config.hiddenDropout());
        ClassifierHead head = new ClassifierHead(own.get(ClassifierHead.WEIGHT), own.get(ClassifierHead.BIAS),
                config.classifierDropout());
        this.block = new BertClassifier(encoder, head);
        Map<String, Parameter> params = new LinkedHashMap<>();
        for (Parameter p : block.getParameters().values()) {
            if (own.containsKey(p.getName())) {
                params.put(p.getName(), p);
            }
        }
        if (!params.keySet().equals(own.keySet())) {
            TreeSet<String> orphans = new TreeSet<>(own.keySet());
            orphans.removeAll(params.keySet());
            throw new IllegalStateException("arrays without a place in the model: " + orphans);
        }
        this.trainable = Collections.unmodifiableMap(params);
        this.lifecycle = new Lifecycle("classifier " + config.labels());
        base.register(this);
    }

    /**
     * A new classifier for {@code config.labels()}: LoRA A matrices drawn from Kaiming-uniform and B = 0 (so at
     * first it computes exactly the base encoder), a {@linkplain ClassifierConfig#peft PEFT method}'s arrays as it
     * says, head weights from N(0, 0.02), all from {@code config.seed()}.
     */
    public static TextClassifier create(BaseModel base, ClassifierConfig config) {
        validate(base, config);
        try (Lifecycle.Lease lease = base.acquire()) {
            NDManager m = base.manager().newSubManager();
            m.setName("classifier");
            try {
                BertConfig c = base.config();
                SplittableRandom rnd = new SplittableRandom(config.seed());
                Map<String, NDArray> own = new LinkedHashMap<>();
                for (int layer = config.lora().firstLayer(); layer < c.numLayers(); layer++) {
                    for (LoraTarget t : config.lora().targets().stream().sorted().toList()) {
                        String module = "encoder.layer." + layer + "." + t.modulePath();
                        long[] w = PretrainedWeights.layerShapes(c, layer).get(module + ".weight");
                        int out = (int) w[0];
                        int in = (int) w[1];
                        int r = config.lora().rank();
                        float bound = (float) (1.0 / Math.sqrt(in)); // kaiming_uniform_(a=sqrt(5)), as PEFT
                        float[] a = new float[r * in];
                        for (int i = 0; i < a.length; i++) {
                            a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
                        }
                        own.put(EncoderAssembly.loraA(module), m.create(a, new Shape(r, in)));
                        own.put(EncoderAssembly.loraB(module), m.zeros(new Shape(out, r)));
                    }
                }
                for (int layer = c.numLayers() - config.trainableTopLayers(); layer < c.numLayers(); layer++) {
                    for (String name : PretrainedWeights.layerShapes(c, layer).keySet()) {
                        NDArray copy = base.weight(name).duplicate();
                        copy.attach(m);
                        own.put(name, copy);
                    }
                }
                if (config.peft() != null) {
                    for (Map.Entry<String, long[]> e : config.peft().shapes(c).entrySet()) {
                        float[] values = config.peft().initialValues(e.getKey(), e.getValue(), c,
                                name -> base.weight(name).toFloatArray(), rnd);
                        own.put(e.getKey(), m.create(values, new Shape(e.getValue())));
                    }
                }
                int labels = config.labels().size();
                float[] w = new float[labels * c.hiddenSize()];
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) (SeededDraws.standardNormal(rnd) * HEAD_INIT_STD);
                }
                own.put(ClassifierHead.WEIGHT, m.create(w, new Shape(labels, c.hiddenSize())));
                own.put(ClassifierHead.BIAS, m.zeros(new Shape(labels)));
                own.values().forEach(a -> a.setRequiresGradient(false));
                return new TextClassifier(base, config, Map.of(), List.of(), 1f, m, own);
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }
    }

    /**
     * Loads an adapter file onto {@code base}.
     *
     * @throws BaseModelMismatchException if the adapter was trained on other base weights
     * @throws CorruptAdapterException if the file is not an intact adapter file or does not fit its metadata
     */
    public static TextClassifier load(BaseModel base, Path adapterFile) throws IOException {
        AdapterFile.Contents contents = AdapterFile.read(adapterFile);
        AdapterFile.Metadata meta = contents.metadata();
        if (!meta.baseModelChecksum().equals(base.checksum())) {
            throw new BaseModelMismatchException("adapter " + adapterFile + " was trained on base model '"
                    + meta.baseModelId() + "' (sha256 " + meta.baseModelChecksum() + "), not on '" + base.id()
                    + "' (sha256 " + base.checksum() + ")");
        }
        ClassifierConfig config = meta.classifier();
        try {
            validate(base, config);
        } catch (IllegalArgumentException e) {
            throw new CorruptAdapterException("adapter " + adapterFile + " does not fit its base model: " + e.getMessage());
        }
        Map<String, long[]> expected = expectedShapes(base.config(), config);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Tensor t = contents.tensors().get(e.getKey());
            if (t == null) {
                problems.add("missing " + e.getKey());
            } else if (!Arrays.equals(t.shape(), e.getValue())) {
                problems.add(e.getKey() + " has shape " + Arrays.toString(t.shape()));
            }
        }
        for (String name : contents.tensors().keySet()) {
            if (!expected.containsKey(name)) {
                problems.add("unexpected " + name);
            }
        }
        if (!problems.isEmpty()) {
            throw new CorruptAdapterException("adapter " + adapterFile + " tensors do not match its metadata: "
                    + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
        }
        try (Lifecycle.Lease lease = base.acquire()) {
            NDManager m = base.manager().newSubManager();
            m.setName("classifier");
            try {
                Map<String, NDArray> own = new LinkedHashMap<>();
                for (String name : expected.keySet()) {
                    Tensor t = contents.tensors().get(name);
                    own.put(name, m.create(t.data(), new Shape(t.shape())));
                }
                return new TextClassifier(base, config, meta.lineage(), meta.learnedLabels(), meta.temperature(), m,
                        own);
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }
    }

    /**
     * This classifier's weights under {@code target}, with the head grown by the {@linkplain HeadGrowth.NewRows#DEFAULT
     * default rule} when {@code target} appends labels; see {@link #adapted(ClassifierConfig, HeadGrowth.NewRows)}.
     */
    public TextClassifier adapted(ClassifierConfig target) {
        return adapted(target, HeadGrowth.NewRows.DEFAULT);
    }

    /**
     * A new classifier with a copy of this one's weights (LoRA, unfrozen layers, head) under {@code target}, which
     * may append labels (the head grows: old rows kept exactly, new ones by {@code newRows}; see {@link HeadGrowth})
     * and change dropout and sequence length, but nothing that changes the shape of a weight. The labels learned so
     * far, the lineage and the temperature carry over; a new label counts as learned only once trained on. This
     * classifier is left as it was (close it separately).
     *
     * @throws IllegalArgumentException when this classifier's labels are not a prefix of {@code target}'s (a
     *     label's row is fixed for ever), or the LoRA settings or unfrozen layers differ
     */
    public TextClassifier adapted(ClassifierConfig target, HeadGrowth.NewRows newRows) {
        List<String> old = config.labels();
        if (target.labels().size() < old.size() || !target.labels().subList(0, old.size()).equals(old)) {
            throw new IllegalArgumentException("labels " + old + " are not a prefix of " + target.labels()
                    + ": a head can only grow by labels appended at the end");
        }
        if (!target.lora().equals(config.lora()) || target.trainableTopLayers() != config.trainableTopLayers()
                || !java.util.Objects.equals(target.peft(), config.peft())) {
            throw new IllegalArgumentException("cannot change the PEFT method, LoRA settings or unfrozen layers of a "
                    + "trained adapter: " + describeMethod(config) + " vs " + describeMethod(target));
        }
        validate(base, target);
        Map<String, float[]> values = snapshot();
        int hidden = base.config().hiddenSize();
        HeadGrowth.Head grown = HeadGrowth.grow(new HeadGrowth.Head(old.size(), hidden,
                values.get(ClassifierHead.WEIGHT), values.get(ClassifierHead.BIAS)), target.labels().size(), newRows,
                target.seed());
        values.put(ClassifierHead.WEIGHT, grown.weight());
        values.put(ClassifierHead.BIAS, grown.bias());
        Map<String, long[]> shapes = expectedShapes(base.config(), target);
        try (Lifecycle.Lease lease = base.acquire()) {
            NDManager m = base.manager().newSubManager();
            m.setName("classifier");
            try {
                Map<String, NDArray> own = new LinkedHashMap<>();
                shapes.forEach((name, shape) -> {
                    NDArray array = m.create(values.get(name), new Shape(shape));
                    array.setRequiresGradient(false);
                    own.put(name, array);
                });
                return new TextClassifier(base, target, lineage, learnedLabels().orElse(null), temperature, m, own);
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }
    }

    /** The method, LoRA settings and unfrozen layers of {@code c}, for messages. */
    static String describeMethod(ClassifierConfig c) {
        return (c.peft() == null ? "" : c.peft().describe() + ", ") + c.lora() + ", " + c.trainableTopLayers()
                + " unfrozen layers";
    }

    private static void validate(BaseModel base, ClassifierConfig config) {
        BertConfig c = base.config();
        if (config.lora().enabled() && config.lora().firstLayer() >= c.numLayers()) {
            throw new IllegalArgumentException("LoRA first layer " + config.lora().firstLayer() + " is above the "
                    + c.numLayers() + " layers of " + base.id() + " (0 .. " + (c.numLayers() - 1) + ")");
        }
        if (config.trainableTopLayers() > c.numLayers()) {
            throw new IllegalArgumentException("cannot unfreeze " + config.trainableTopLayers() + " of "
                    + c.numLayers() + " layers");
        }
        if (config.maxSequenceLength() > c.maxPositions()) {
            throw new IllegalArgumentException("maxSequenceLength " + config.maxSequenceLength() + " exceeds the "
                    + c.maxPositions() + " positions of " + base.id());
        }
    }

    /** Names and shapes of everything a classifier with {@code config} owns, in a fixed order. */
    static Map<String, long[]> expectedShapes(BertConfig c, ClassifierConfig config) {
        Map<String, long[]> m = new LinkedHashMap<>();
        int r = config.lora().rank();
        for (int layer = config.lora().firstLayer(); layer < c.numLayers(); layer++) {
            Map<String, long[]> shapes = PretrainedWeights.layerShapes(c, layer);
            for (LoraTarget t : config.lora().targets().stream().sorted().toList()) {
                String module = "encoder.layer." + layer + "." + t.modulePath();
                long[] w = shapes.get(module + ".weight");
                m.put(EncoderAssembly.loraA(module), new long[] {r, w[1]});
                m.put(EncoderAssembly.loraB(module), new long[] {w[0], r});
            }
        }
        for (int layer = c.numLayers() - config.trainableTopLayers(); layer < c.numLayers(); layer++) {
            m.putAll(PretrainedWeights.layerShapes(c, layer));
        }
        if (config.peft() != null) {
            m.putAll(config.peft().shapes(c));
        }
        m.put(ClassifierHead.WEIGHT, new long[] {config.labels().size(), c.hiddenSize()});
        m.put(ClassifierHead.BIAS, new long[] {config.labels().size()});
        return m;
    }

    /**
     * Label probabilities for each text: {@code softmax(logits / temperature())}. Thread-safe; the result for a text
     * depends only on the text, the weights, the temperature and the other texts of the same call (which share
     * padded batches).
     */
    @Override
    public List<Prediction> predict(List<String> texts) {
        float t = temperature;
        return rows(texts, true, t).stream().map(p -> new Prediction(config.labels(), p)).toList();
    }

    /**
     * The head's raw logits for each text (one row per text, in logit order), before any temperature: what a
     * {@linkplain TemperatureScaling temperature is fitted} on. Thread-safe.
     */
    public float[][] logits(List<String> texts) {
        return rows(texts, false, 1f).toArray(float[][]::new);
    }

    /** One row per text: probabilities at {@code t}, or raw logits. */
    private List<float[]> rows(List<String> texts, boolean probabilities, float t) {
        if (texts.isEmpty()) {
            return List.of();
        }
        try (Lifecycle.Lease lease = lifecycle.acquire(); Torch.Scope torch = Torch.enter(false)) {
            long[][] seqs = TokenBatch.encodeAll(base.tokenizer(), texts, config.maxSequenceLength());
            float[][] out = new float[texts.size()][];
            int labels = config.labels().size();
            for (int[] chunk : TokenBatch.chunksByLength(seqs, PREDICT_BATCH)) {
                float[] values = forward(TokenBatch.of(seqs, chunk, config.maxSequenceLength()), probabilities, t);
                for (int k = 0; k < chunk.length; k++) {
                    out[chunk[k]] = Arrays.copyOfRange(values, k * labels, (k + 1) * labels);
                }
            }
            return List.of(out);
        }
    }

    /** Label probabilities for one text. */
    public Prediction predict(String text) {
        return predict(List.of(text)).get(0);
    }

    private float[] forward(TokenBatch batch, boolean probabilities, float t) {
        try (NDManager request = manager.newSubManager()) {
            NDArray logits = logits(request, batch, false);
            if (!probabilities) {
                return logits.toFloatArray();
            }
            // Inference only (no autograd), so a Java scalar operand is safe here; T = 1 skips the division.
            return (t == 1f ? logits : logits.div(t)).softmax(1).toFloatArray();
        }
    }

    /**
     * Writes this classifier's arrays and settings as an adapter file.
     *
     * @param lineage free-form provenance stored in the file (parent adapter, data offsets, step counts, ...)
     */
    public void save(Path file, Map<String, String> lineage) throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        try (Lifecycle.Lease lease = lifecycle.acquire()) {
            for (Map.Entry<String, NDArray> e : own.entrySet()) {
                tensors.add(new Tensor(e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray()));
            }
        }
        AdapterFile.write(file, new AdapterFile.Metadata(base.id(), base.checksum(), config, lineage,
                learnedLabels().map(List::copyOf).orElse(null), temperature), tensors);
    }

    /**
     * The temperature {@link #predict} divides the logits by before the softmax (saved in the adapter file): 1 for
     * a new classifier or a file written before calibration.
     */
    public float temperature() {
        return temperature;
    }

    /**
     * Sets the temperature (e.g. one {@linkplain TemperatureScaling#fit fitted} on a validation split); predictions
     * from now on use it. It changes no predicted label, only the probabilities. Training never uses it.
     *
     * @throws IllegalArgumentException unless finite and positive
     */
    public void calibrate(double newTemperature) {
        temperature = TemperatureScaling.requireValid(newTemperature);
    }

    public BaseModel base() {
        return base;
    }

    public ClassifierConfig config() {
        return config;
    }

    @Override
    public List<String> labels() {
        return config.labels();
    }

    /**
     * The labels this classifier has seen training examples for (in logit order): those its adapter file recorded
     * plus those of every batch a {@link TrainingSession} trained it on. Empty when loaded from a file written
     * before the record existed and not {@linkplain #assumeLearned told} since: what it learned then is unknown.
     */
    public Optional<List<String>> learnedLabels() {
        if (!learnedLabelsKnown) {
            return Optional.empty();
        }
        return Optional.of(config.labels().stream().filter(learnedLabels::contains).toList());
    }

    /**
     * Records labels this classifier learned before its file recorded them (e.g. the trainer's replay buffer, which
     * holds examples of every label it trained the task on); from then on {@link #learnedLabels} is known.
     */
    public void assumeLearned(java.util.Collection<String> labels) {
        labels.forEach(config::labelIndex); // refuses a label the head does not have
        learnedLabels.addAll(labels);
        learnedLabelsKnown = true;
    }

    /** Called by a training session for every batch it trains on. */
    void recordTrainedOn(List<LabeledText> batch) {
        batch.forEach(example -> learnedLabels.add(example.label()));
    }

    /** Lineage read from the adapter file this classifier was loaded from; empty for a new one. */
    @Override
    public Map<String, String> lineage() {
        return lineage;
    }

    /**
     * Names of the trainable parameters, in a fixed order (LoRA layer by layer, unfrozen layers, a PEFT method's
     * arrays, head).
     */
    public List<String> trainableParameterNames() {
        return List.copyOf(own.keySet());
    }

    /**
     * Names of the full copies of encoder layer {@code layer}'s weights this classifier trains (its own LoRA
     * matrices there excluded), in a fixed order; empty unless the layer is one of the
     * {@linkplain ClassifierConfig#trainableTopLayers() trainable top layers}. Gradual unfreezing holds these
     * frozen layer by layer.
     */
    public List<String> layerCopyParameterNames(int layer) {
        if (layer < 0 || layer >= base.config().numLayers()) {
            throw new IllegalArgumentException("no encoder layer " + layer + " in " + base.config().numLayers());
        }
        return PretrainedWeights.layerShapes(base.config(), layer).keySet().stream().filter(own::containsKey)
                .sorted().toList();
    }

    /** Number of trainable scalars. */
    public long trainableParameterCount() {
        return own.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    /** A copy of the trainable parameters' current values, by name (e.g. the anchor point of an EWC penalty). */
    public Map<String, float[]> snapshot() {
        try (Lifecycle.Lease lease = lifecycle.acquire()) {
            Map<String, float[]> values = new LinkedHashMap<>();
            own.forEach((name, array) -> values.put(name, array.toFloatArray()));
            return values;
        }
    }

    /**
     * Sets trainable parameters back to earlier values (e.g. the best {@link #snapshot()} seen during training),
     * in place, so an open {@link TrainingSession} keeps working on them. Names not given keep their values.
     *
     * @throws IllegalArgumentException for an unknown name or a wrong number of values
     */
    public void restore(Map<String, float[]> values) {
        try (Lifecycle.Lease lease = lifecycle.acquire(); Torch.Scope torch = Torch.enter(false)) {
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                NDArray array = own.get(e.getKey());
                if (array == null) {
                    throw new IllegalArgumentException("no trainable parameter " + e.getKey());
                }
                if (array.getShape().size() != e.getValue().length) {
                    throw new IllegalArgumentException(e.getKey() + " has " + array.getShape().size() + " values, got "
                            + e.getValue().length);
                }
            }
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                own.get(e.getKey()).set(e.getValue());
            }
        }
    }

    /**
     * The DJL block ({@link BertClassifier}): input {@code [inputIds, tokenTypeIds(, validMask)]}, output logits.
     * Its frozen parameters are the base model's shared arrays: never unfreeze or modify them.
     */
    public Block block() {
        return block;
    }

    // ---- for TrainingSession ----

    BertClassifier classifierBlock() {
        return block;
    }

    Map<String, Parameter> trainableParameters() {
        return trainable;
    }

    NDManager manager() {
        return manager;
    }

    Lifecycle.Lease acquire() {
        return lifecycle.acquire();
    }

    void beginTraining() {
        if (!training.compareAndSet(false, true)) {
            throw new IllegalStateException("a training session is already open on this classifier");
        }
    }

    void endTraining() {
        training.set(false);
    }

    /**
     * The head's logits {@code [B, labels]} for a token batch, created in {@code m}: the whole block, or, with the
     * base model's {@linkplain BaseModel#cacheFrozenLayers frozen-layer cache} on, the frozen bottom layers' output
     * from the cache (computed and remembered for texts it lacks) and only the layers above run here.
     */
    NDArray logits(NDManager m, TokenBatch batch, boolean training) {
        ParameterStore ps = new ParameterStore(m, false);
        int frozen = block.encoder().frozenBottomLayers();
        FrozenLayerCache cache = base.frozenLayerCache();
        if (frozen == 0 || cache == null) {
            return block.forward(ps, batch.toInputs(m), training).head();
        }
        NDArray rows = frozenRows(m, batch, frozen, cache);
        return block.logitsAboveFrozen(ps, rows, batch.size, batch.length, batch.validMask(m), training);
    }

    /** {@code [B*T, H]} output of the frozen layers for a batch, padded rows zero, from the cache where it can. */
    private NDArray frozenRows(NDManager m, TokenBatch batch, int frozen, FrozenLayerCache cache) {
        int hidden = base.config().hiddenSize();
        int stride = batch.length * hidden;
        float[] out = new float[batch.size * stride];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < batch.size; i++) {
            float[] rows = cache.get(frozen, batch.sequences[i]);
            if (rows == null) {
                missing.add(i);
            } else {
                System.arraycopy(rows, 0, out, i * stride, rows.length);
            }
        }
        if (!missing.isEmpty()) {
            long[][] seqs = new long[missing.size()][];
            for (int j = 0; j < seqs.length; j++) {
                seqs[j] = batch.sequences[missing.get(j)];
            }
            TokenBatch sub = TokenBatch.of(seqs, config.maxSequenceLength());
            float[] computed;
            // No gradient flows into frozen layers, so record nothing for autograd even inside a training step.
            try (Torch.Scope torch = Torch.enter(false); NDManager work = m.newSubManager()) {
                NDList inputs = sub.toInputs(work);
                computed = block.encoder().frozenBottom(new ParameterStore(work, false), inputs.get(0), inputs.get(1),
                        inputs.size() > 2 ? inputs.get(2) : null).toFloatArray();
            }
            int subStride = sub.length * hidden;
            for (int j = 0; j < seqs.length; j++) {
                float[] rows = Arrays.copyOfRange(computed, j * subStride, j * subStride + seqs[j].length * hidden);
                cache.put(frozen, seqs[j], rows);
                System.arraycopy(rows, 0, out, missing.get(j) * stride, rows.length);
            }
        }
        return m.create(out, new Shape((long) batch.size * batch.length, hidden));
    }

    TokenBatch tokenize(List<String> texts) {
        return TokenBatch.of(base.tokenizer(), texts, config.maxSequenceLength());
    }

    /** Number of NDArrays alive under this classifier's manager (its own arrays plus in-flight requests). */
    public int liveArrayCount() {
        return manager.getManagedArrays().size();
    }

    /** Waits for in-flight predictions, then frees this classifier's native memory. Idempotent. */
    @Override
    public void close() {
        lifecycle.close(manager::close);
        base.unregister(this);
    }
}
