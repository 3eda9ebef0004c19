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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fine-tunes a {@link TextClassifier}'s own parameters (LoRA adapters, head, unfrozen top layers) with AdamW.
 * The base model's weights stay frozen and shared.
 *
 * <pre>{@code
 * try (TrainingSession s = TrainingSession.start(classifier, TrainingOptions.defaults())) {
 *     for (List<LabeledText> batch : batches) {
 *         s.accumulate(batch);          // forward + backward, gradients add up
 *         s.step(schedule.lr(step++));  // AdamW on the mean gradient, then gradients reset
 *     }
 * }
 * }</pre>
 *
 * <p>Memory: each {@link #accumulate} call works in its own NDManager and NDScope, closed when it returns; the
 * optimizer's moment estimates live in the session's NDManager, created up front, and are freed by
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
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
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
            firstMoments.put(e.getKey(), manager.zeros(a.getShape()));
            secondMoments.put(e.getKey(), manager.zeros(a.getShape()));
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
     * One AdamW update with the gradients accumulated since the last step, averaged over the accumulated batches
     * and clipped to {@link TrainingOptions#maxGradNorm()}; then the gradients are reset.
     *
     * @param learningRate the learning rate for this step (the caller's schedule)
     * @return the global gradient norm before clipping; when it is not finite the step is skipped (weights and
     *     moments unchanged, gradients reset) and counted in {@link #skippedSteps()}
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
        double bc1 = 1 - Math.pow(options.beta1(), steps);
        double bc2 = 1 - Math.pow(options.beta2(), steps);
        float norm;
        try (Torch.Scope torch = Torch.enter(false); NDScope scope = new NDScope()) {
            Map<String, NDArray> grads = new LinkedHashMap<>();
            NDList squares = new NDList();
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                NDArray g = e.getValue().getGradient();
                grads.put(e.getKey(), g);
                squares.add(g.square().sum());
            }
            float scale = 1f / accumulated;
            norm = (float) Math.sqrt(NDArrays.sum(squares)) * scale;
            if (!Float.isFinite(norm)) {
                // An overflowing or NaN gradient would poison weights and moments for good: drop this step
                // (as mixed-precision trainers do) and let the caller see the non-finite norm.
                arrays.values().forEach(Torch::zeroGrad);
                steps--;
                skippedSteps++;
                accumulated = 0;
                return norm;
            }
            if (options.maxGradNorm() > 0 && norm > options.maxGradNorm()) {
                scale *= options.maxGradNorm() / (norm + 1e-6f);
            }
            float b1 = options.beta1();
            float b2 = options.beta2();
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                String name = e.getKey();
                NDArray p = e.getValue();
                NDArray g = grads.get(name).muli(scale);
                NDArray m = firstMoments.get(name).muli(b1).addi(g.mul(1 - b1));
                NDArray v = secondMoments.get(name).muli(b2).addi(g.mul(g).muli(1 - b2));
                NDArray denom = v.sqrt().divi((float) Math.sqrt(bc2)).addi(options.epsilon());
                if (decays(name) && options.weightDecay() > 0) {
                    p.muli(1 - learningRate * options.weightDecay());
                }
                p.subi(m.div(denom).muli((float) (learningRate / bc1)));
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

    /** A copy of AdamW's state (step count and moments), e.g. for a checkpoint. */
    public OptimizerState optimizerState() {
        try (Lifecycle.Lease lease = lease()) {
            Map<String, float[]> first = new LinkedHashMap<>();
            Map<String, float[]> second = new LinkedHashMap<>();
            firstMoments.forEach((name, m) -> first.put(name, m.toFloatArray()));
            secondMoments.forEach((name, v) -> second.put(name, v.toFloatArray()));
            return new OptimizerState(steps, first, second);
        }
    }

    /**
     * Continues from a saved {@link #optimizerState()}; call before the first step.
     *
     * @throws IllegalArgumentException if the state names other parameters or sizes; nothing is changed then
     */
    public void restoreOptimizerState(OptimizerState state) {
        try (Lifecycle.Lease lease = lease()) {
            if (!state.firstMoments().keySet().equals(firstMoments.keySet())) {
                throw new IllegalArgumentException("optimizer state is for parameters " + state.firstMoments().keySet()
                        + ", this session trains " + firstMoments.keySet());
            }
            for (Map.Entry<String, NDArray> e : firstMoments.entrySet()) {
                long size = e.getValue().getShape().size();
                if (state.firstMoments().get(e.getKey()).length != size
                        || state.secondMoments().get(e.getKey()).length != size) {
                    throw new IllegalArgumentException("optimizer state does not fit parameter " + e.getKey());
                }
            }
            firstMoments.forEach((name, m) -> m.set(state.firstMoments().get(name)));
            secondMoments.forEach((name, v) -> v.set(state.secondMoments().get(name)));
            steps = state.steps();
        }
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
