package dev.streamtune.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fine-tunes a {@link TextClassifier}'s own parameters (LoRA adapters, head, unfrozen top layers) with the
 * {@linkplain TrainingOptions#updateRule() update rule} of its options (AdamW by default; SGD with momentum,
 * RMSprop). The session does what every method shares: averaging accumulated gradients, clipping their global norm,
 * skipping a non-finite step, decoupled weight decay and the step count; the rule updates one parameter and its own
 * state. The base model's weights stay frozen and shared. Some of the classifier's parameters can be held frozen
 * for a while ({@link #setFrozen}, gradual unfreezing).
 *
 * <pre>{@code
 * try (TrainingSession s = TrainingSession.start(classifier, TrainingOptions.defaults())) {
 *     for (List<LabeledText> batch : batches) {
 *         s.accumulate(batch);          // forward + backward, gradients add up
 *         s.step(schedule.lr(step++));  // the update rule on the mean gradient, then gradients reset
 *     }
 * }
 * }</pre>
 *
 * <p>Memory: each {@link #accumulate} call works in its own NDManager and NDScope, closed when it returns; the
 * optimizer's state arrays (e.g. AdamW's moments) live in the session's NDManager, created up front, and are freed by
 * {@link #close()}. A session is used by one thread at a time. Gradient computations of all sessions in the JVM
 * are serialised (DJL allows one GradientCollector at a time). Predictions on the classifier from other threads
 * remain possible and see the weights as the steps update them.
 */
public final class TrainingSession implements AutoCloseable {

    private static final ReentrantLock COLLECTOR = new ReentrantLock();

    private final TextClassifier classifier;
    private final TrainingOptions options;
    private final NDManager manager;
    private final Map<String, Parameter> parameters;
    private final Map<String, NDArray> arrays;
    /** Parameter name -> the update rule's state arrays by slot name. */
    private final Map<String, Map<String, NDArray>> optimizerSlots = new LinkedHashMap<>();
    /** Parameters held frozen for now (no gradient, no update, state untouched). */
    private final Set<String> frozen = new HashSet<>();
    private int steps;
    private int skippedSteps;
    private int accumulated;
    private boolean closed;

    private TrainingSession(TextClassifier classifier, TrainingOptions options) {
        this.classifier = classifier;
        this.options = options;
        this.parameters = classifier.trainableParameters();
        this.manager = classifier.manager().newSubManager();
        manager.setName("optimizer");
        Map<String, NDArray> live = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            NDArray a = e.getValue().getArray();
            live.put(e.getKey(), a);
            Map<String, NDArray> slots = new LinkedHashMap<>();
            for (String slot : options.updateRule().slots()) {
                slots.put(slot, manager.zeros(a.getShape()));
            }
            optimizerSlots.put(e.getKey(), Collections.unmodifiableMap(slots));
            e.getValue().freeze(false);
        }
        this.arrays = Collections.unmodifiableMap(live);
        Engine.getInstance().setRandomSeed((int) classifier.config().seed()); // dropout masks
    }

    /**
     * Opens a session: the classifier's own parameters start requiring gradients until {@link #close()}, and
     * PyTorch's global random generator (dropout masks) is seeded with the classifier's seed.
     *
     * @throws IllegalStateException if another session is open on the classifier, or it is closed
     */
    public static TrainingSession start(TextClassifier classifier, TrainingOptions options) {
        try (Lifecycle.Lease lease = classifier.acquire()) {
            classifier.beginTraining();
            try {
                return new TrainingSession(classifier, options);
            } catch (RuntimeException e) {
                classifier.endTraining();
                throw e;
            }
        }
    }

    /**
     * Forward and backward pass on a batch (dropout on); the gradients add to those of earlier calls since the
     * last {@link #step}.
     *
     * @return the batch's mean cross-entropy, weighted by {@link LabeledText#weight()} (without the extra term)
     */
    public float accumulate(List<LabeledText> batch) {
        return accumulate(batch, List.of());
    }

    /**
     * As {@link #accumulate(List)}, with {@code extra} (e.g. an EWC penalty; none when null) added to the loss
     * before backward.
     *
     * @return the batch's mean cross-entropy (without the extra term)
     */
    public float accumulate(List<LabeledText> batch, LossTerm extra) {
        return accumulate(batch, extra == null ? List.of() : List.of(extra));
    }

    /**
     * As {@link #accumulate(List)}, with every term of {@code extra} (EWC penalty, distillation, ...) added to the
     * loss before backward; each sees the batch and its logits through a {@link ForwardPass}.
     *
     * @return the batch's mean cross-entropy (without the extra terms)
     */
    public float accumulate(List<LabeledText> batch, List<? extends LossTerm> extra) {
        try (Lifecycle.Lease lease = lease()) {
            float loss = backward(batch, extra, true);
            classifier.recordTrainedOn(batch);
            accumulated++;
            return loss;
        }
    }

    /**
     * One update by the options' update rule with the gradients accumulated since the last step, averaged over the
     * accumulated batches and clipped to {@link TrainingOptions#maxGradNorm()}, after decoupled weight decay;
     * then the gradients are reset. Parameters held {@linkplain #setFrozen frozen} are left alone.
     *
     * @param learningRate the learning rate for this step (the caller's schedule)
     * @return the global gradient norm before clipping; when it is not finite the step is skipped (weights and
     *     optimizer state unchanged, gradients reset) and counted in {@link #skippedSteps()}
     */
    public float step(float learningRate) {
        try (Lifecycle.Lease lease = lease()) {
            return update(learningRate);
        }
    }

    private float update(float learningRate) {
        if (accumulated == 0) {
            throw new IllegalStateException("no gradients accumulated since the last step");
        }
        steps++;
        float norm;
        try (Torch.Scope torch = Torch.enter(false); NDScope scope = new NDScope()) {
            Map<String, NDArray> grads = new LinkedHashMap<>();
            NDList squares = new NDList();
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                if (frozen.contains(e.getKey())) {
                    continue;
                }
                NDArray g = e.getValue().getGradient();
                grads.put(e.getKey(), g);
                squares.add(g.square().sum());
            }
            float scale = 1f / accumulated;
            norm = (float) Math.sqrt(NDArrays.sum(squares)) * scale;
            if (!Float.isFinite(norm)) {
                // An overflowing or NaN gradient would poison weights and moments for good: drop this step
                // (as mixed-precision trainers do) and let the caller see the non-finite norm.
                grads.keySet().forEach(name -> Torch.zeroGrad(arrays.get(name)));
                steps--;
                skippedSteps++;
                accumulated = 0;
                return norm;
            }
            if (options.maxGradNorm() > 0 && norm > options.maxGradNorm()) {
                scale *= options.maxGradNorm() / (norm + 1e-6f);
            }
            for (Map.Entry<String, NDArray> e : grads.entrySet()) {
                String name = e.getKey();
                NDArray p = arrays.get(name);
                NDArray g = e.getValue().muli(scale);
                if (decays(name) && options.weightDecay() > 0) {
                    p.muli(1 - learningRate * options.weightDecay());
                }
                options.updateRule().update(p, g, optimizerSlots.get(name), learningRate, steps);
                Torch.zeroGrad(p);
            }
        }
        accumulated = 0;
        return norm;
    }

    /** {@link #accumulate(List)} then {@link #step(float)}: one plain training step. Returns the batch loss. */
    public float trainStep(List<LabeledText> batch, float learningRate) {
        float loss = accumulate(batch);
        step(learningRate);
        return loss;
    }

    /**
     * The mean over {@code examples} of each parameter's squared per-example gradient of the cross-entropy (dropout
     * off): the diagonal of the empirical Fisher information, as EWC uses. One forward/backward per example, so
     * example weights do not enter (a one-example weighted mean is the example's own cross-entropy).
     * Must be called with no gradients pending (right after a {@link #step} or at the start).
     *
     * @return by parameter name, one value per scalar of the parameter (row-major)
     */
    public Map<String, float[]> meanSquaredGradients(List<LabeledText> examples) {
        try (Lifecycle.Lease lease = lease()) {
            return fisherDiagonal(examples);
        }
    }

    private Map<String, float[]> fisherDiagonal(List<LabeledText> examples) {
        if (accumulated > 0) {
            throw new IllegalStateException("gradients are pending: call step() first");
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples");
        }
        // The Fisher is of every trainable parameter, held frozen or not: release them for its passes.
        Set<String> held = Set.copyOf(frozen);
        applyFrozen(Set.of());
        try {
            return squaredGradientMeans(examples);
        } finally {
            applyFrozen(held);
        }
    }

    private Map<String, float[]> squaredGradientMeans(List<LabeledText> examples) {
        try (NDManager sums = manager.newSubManager()) {
            Map<String, NDArray> total = new LinkedHashMap<>();
            arrays.forEach((name, p) -> total.put(name, sums.zeros(p.getShape())));
            for (LabeledText example : examples) {
                backward(List.of(example), List.of(), false);
                try (Torch.Scope torch = Torch.enter(false); NDScope scope = new NDScope()) {
                    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                        NDArray g = e.getValue().getGradient();
                        total.get(e.getKey()).addi(g.mul(g));
                        Torch.zeroGrad(e.getValue());
                    }
                }
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            total.forEach((name, sum) -> out.put(name, sum.divi(examples.size()).toFloatArray()));
            return out;
        }
    }

    /** A copy of the optimizer's state (method, step count, every slot of every parameter), e.g. for a checkpoint. */
    public OptimizerState optimizerState() {
        try (Lifecycle.Lease lease = lease()) {
            Map<String, Map<String, float[]>> slots = new LinkedHashMap<>();
            for (String slot : options.updateRule().slots()) {
                Map<String, float[]> values = new LinkedHashMap<>();
                optimizerSlots.forEach((name, state) -> values.put(name, state.get(slot).toFloatArray()));
                slots.put(slot, values);
            }
            return new OptimizerState(options.updateRule().name(), steps, slots);
        }
    }

    /**
     * Continues from a saved {@link #optimizerState()}; call before the first step.
     *
     * @throws IllegalArgumentException if the state is another method's, or names other slots, parameters or
     *     sizes; nothing is changed then
     */
    public void restoreOptimizerState(OptimizerState state) {
        try (Lifecycle.Lease lease = lease()) {
            String method = options.updateRule().name();
            if (!state.method().equals(method)) {
                throw new IllegalArgumentException("optimizer state is " + state.method() + "'s, this session runs "
                        + method + ": a state cannot carry over between methods");
            }
            if (!Set.copyOf(state.slotNames()).equals(Set.copyOf(options.updateRule().slots()))) {
                throw new IllegalArgumentException(method + " state has slots " + state.slotNames() + ", expected "
                        + options.updateRule().slots());
            }
            if (!state.slots().isEmpty() && !state.parameters().equals(optimizerSlots.keySet())) {
                throw new IllegalArgumentException("optimizer state is for parameters " + state.parameters()
                        + ", this session trains " + optimizerSlots.keySet());
            }
            state.slots().forEach((slot, values) -> values.forEach((name, v) -> {
                if (v.length != arrays.get(name).getShape().size()) {
                    throw new IllegalArgumentException("optimizer state " + slot + " does not fit parameter " + name
                            + ": " + v.length + " values for " + arrays.get(name).getShape());
                }
            }));
            state.slots().forEach((slot, values) -> values.forEach((name, v) -> optimizerSlots.get(name).get(slot)
                    .set(v)));
            steps = state.steps();
        }
    }

    /**
     * Holds {@code names} frozen from now on (no gradient computed, no update, no weight decay, optimizer state
     * left as it is) and releases every other parameter; for gradual unfreezing the caller shrinks the set between
     * steps. Call with no gradients pending (at the start or right after a {@link #step}).
     *
     * @throws IllegalArgumentException for a name that is not one of the session's parameters
     * @throws IllegalStateException    if gradients are pending
     */
    public void setFrozen(Collection<String> names) {
        try (Lifecycle.Lease lease = lease()) {
            for (String name : names) {
                if (!arrays.containsKey(name)) {
                    throw new IllegalArgumentException("no trainable parameter " + name);
                }
            }
            if (accumulated > 0) {
                throw new IllegalStateException("gradients are pending: call step() before changing what is frozen");
            }
            applyFrozen(Set.copyOf(names));
        }
    }

    /** The parameters held frozen now (see {@link #setFrozen}). */
    public Set<String> frozen() {
        return Set.copyOf(frozen);
    }

    private void applyFrozen(Set<String> names) {
        try (Torch.Scope torch = Torch.enter(false)) {
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                boolean freeze = names.contains(e.getKey());
                if (freeze != frozen.contains(e.getKey())) {
                    // requires_grad off: autograd then computes no gradient for it (and none below it when
                    // nothing else there needs one).
                    Torch.zeroGrad(e.getValue().getArray());
                    e.getValue().freeze(freeze);
                }
            }
        }
        frozen.clear();
        frozen.addAll(names);
    }

    /** Steps dropped because their gradient was not finite (see {@link #step}). */
    public int skippedSteps() {
        return skippedSteps;
    }

    /** Number of {@link #step} calls so far. */
    public int stepCount() {
        return steps;
    }

    /** The live trainable parameters by name, as a {@link LossTerm} sees them. Do not modify them. */
    public Map<String, NDArray> parameters() {
        return arrays;
    }

    public TextClassifier classifier() {
        return classifier;
    }

    private float backward(List<LabeledText> batch, List<? extends LossTerm> extra, boolean training) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        List<String> texts = new ArrayList<>(batch.size());
        int labels = classifier.labels().size();
        // The weighted mean cross-entropy sum_i w_i CE_i / sum_i w_i as one weighted sum: -w_i / sum(w) at each
        // example's label, 0 elsewhere (all weights 1: the plain mean). The constants live in this array (held by
        // the step's manager until backward is done) rather than in a muli(-1f / n), whose Java-backed scalar
        // autograd would read after the GC may have freed it (see nn.Functional#scale).
        double totalWeight = 0;
        for (LabeledText example : batch) {
            totalWeight += example.weight();
        }
        float[] target = new float[batch.size() * labels];
        for (int i = 0; i < batch.size(); i++) {
            texts.add(batch.get(i).text());
            target[i * labels + classifier.config().labelIndex(batch.get(i).label())] =
                    (float) (-batch.get(i).weight() / totalWeight);
        }
        TokenBatch tokens = classifier.tokenize(texts);
        COLLECTOR.lock();
        try (Torch.Scope torch = Torch.enter(true);
                NDManager step = classifier.manager().newSubManager();
                NDScope scope = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = classifier.logits(step, tokens, training);
            NDArray weights = step.create(target, new Shape(batch.size(), labels));
            NDArray loss = logits.logSoftmax(1).mul(weights).sum();
            float value = loss.getFloat();
            NDArray objective = loss;
            if (!extra.isEmpty()) {
                ForwardPass pass = new ForwardPass(batch, logits, arrays);
                for (LossTerm term : extra) {
                    objective = objective.add(term.compute(pass));
                }
            }
            collector.backward(objective);
            return value;
        } finally {
            COLLECTOR.unlock();
        }
    }

    private static boolean decays(String name) {
        return !name.endsWith(".bias") && !name.contains("LayerNorm");
    }

    /** A lease on the classifier for one operation: fails if this session or the classifier is closed. */
    private Lifecycle.Lease lease() {
        if (closed) {
            throw new IllegalStateException("training session is closed");
        }
        return classifier.acquire();
    }

    /**
     * Frees the optimizer state and returns the parameters to inference-only (no gradients). Harmless if the
     * classifier was closed first.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Lifecycle.Lease lease;
        try {
            lease = classifier.acquire();
        } catch (IllegalStateException classifierClosed) {
            return; // its manager, ours included, is already freed
        }
        try (lease; Torch.Scope torch = Torch.enter(false)) {
            for (Parameter p : parameters.values()) {
                Torch.zeroGrad(p.getArray());
                p.freeze(true);
            }
            manager.close();
        } finally {
            classifier.endTraining();
        }
    }

    /** Sum of a list of scalars as a float, one native-to-Java copy. */
    private static final class NDArrays {
        static float sum(NDList scalars) {
            return ai.djl.ndarray.NDArrays.stack(scalars).sum().getFloat();
        }
    }
}
