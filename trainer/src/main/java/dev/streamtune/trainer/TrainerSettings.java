package dev.streamtune.trainer;

import dev.streamtune.model.optimizer.AdamW;
import dev.streamtune.model.optimizer.RmsProp;
import dev.streamtune.model.optimizer.SgdMomentum;
import dev.streamtune.model.optimizer.UpdateRule;
import dev.streamtune.trainer.schedule.LearningRateSchedule;
import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The trainer's configuration, bound from {@code application.yml} (where every default lives and is explained) and
 * overridable by environment variables.
 *
 * @param groupId         consumer group of the trainer workers; they split the tasks between them
 * @param home            where checkpoints and adapter files are written (a volume the evaluator and serving read)
 * @param windowsPerCandidate train one candidate every N closed windows (a retrain request trains at once)
 * @param checkpointEverySteps mid-round checkpoint interval: a crash costs at most this many optimizer steps
 * @param frozenLayerCacheMb heap for the output of frozen encoder layers by text (MiB; 0 = off), see
 *                        {@link dev.streamtune.model.BaseModel#cacheFrozenLayers}
 * @param strategies      continual-learning strategies, in the order their hooks run (names of
 *                        {@link dev.streamtune.trainer.strategy.StrategyRegistry}); empty = naive fine-tuning. Each
 *                        one's settings are under its own key ({@code replay}, {@code ewc}, {@code lwf},
 *                        {@code weight-aligning}, {@code joint})
 * @param augmentation    EDA copies of the training examples ({@link dev.streamtune.trainer.augment})
 */
@ConfigurationProperties("trainer")
public record TrainerSettings(
        String groupId,
        String home,
        int windowsPerCandidate,
        int checkpointEverySteps,
        int frozenLayerCacheMb,
        java.util.List<String> strategies,
        Hyperparameters hyperparameters,
        Replay replay,
        Ewc ewc,
        Lwf lwf,
        WeightAligning weightAligning,
        Joint joint,
        Search search,
        Augmentation augmentation) {

    /** The same settings with other strategies (their settings unchanged). */
    public TrainerSettings withStrategies(java.util.List<String> names) {
        return new TrainerSettings(groupId, home, windowsPerCandidate, checkpointEverySteps, frozenLayerCacheMb, names,
                hyperparameters, replay, ewc, lwf, weightAligning, joint, search, augmentation);
    }

    /**
     * What one window's training uses, unless the search picks otherwise; a task's {@code trainingOverrides} (same
     * key names) replace these for its rounds. Each key's meaning is in {@code application.yml}; the last four:
     *
     * @param optimizer          the update rule by name, one of {@link #OPTIMIZERS} ({@code adamw}, {@code sgd},
     *                           {@code rmsprop}); the learning rate is that method's
     * @param momentum           {@code sgd}'s momentum, in [0, 1)
     * @param rmspropAlpha       {@code rmsprop}'s squared-gradient decay, in [0, 1)
     * @param unfreezeEverySteps gradual unfreezing of the {@code trainableTopLayers} (0 = off): one more layer, from
     *                           the top, every this many optimizer steps
     */
    @ConfigurationProperties("hyperparameters")
    public record Hyperparameters(double learningRate, int warmupSteps, LearningRateSchedule.Decay decay,
                                  double floorFraction, int batchSize, int gradientAccumulation, int epochs,
                                  int maxSteps, double weightDecay, float dropout, int loraRank, float loraAlpha,
                                  java.util.List<String> loraTargets, int loraFirstLayer, int trainableTopLayers,
                                  int maxSequenceLength, long seed, int patience, int evaluateEverySteps,
                                  int validationSample, String peftMethod, int peftSize,
                                  String optimizer, double momentum, double rmspropAlpha,
                                  int unfreezeEverySteps) {

        /**
         * The update rules by configured name, each built from these settings. A new method is its class in the
         * model's {@code optimizer} package and one entry here (and its settings, if any, as fields above).
         */
        public static final java.util.Map<String, java.util.function.Function<Hyperparameters, UpdateRule>>
                OPTIMIZERS = java.util.Map.of(
                        AdamW.NAME, hp -> AdamW.defaults(),
                        SgdMomentum.NAME, hp -> new SgdMomentum((float) hp.momentum()),
                        RmsProp.NAME, hp -> RmsProp.withAlpha((float) hp.rmspropAlpha()));

        public Hyperparameters {
            loraTargets = java.util.List.copyOf(loraTargets);
            loraTargets.forEach(dev.streamtune.model.nn.LoraTarget::named); // a misspelt target fails at start-up
            dev.streamtune.trainer.training.PeftChoice.validate(peftMethod, peftSize); // so does a misspelt method
            if (!OPTIMIZERS.containsKey(optimizer)) {
                throw new IllegalArgumentException("unknown optimizer '" + optimizer + "'; known: "
                        + new java.util.TreeSet<>(OPTIMIZERS.keySet()));
            }
            if (unfreezeEverySteps < 0) {
                throw new IllegalArgumentException("unfreeze-every-steps must be at least 0: " + unfreezeEverySteps);
            }
            if (!(momentum >= 0 && momentum < 1 && rmspropAlpha >= 0 && rmspropAlpha < 1)) {
                throw new IllegalArgumentException("momentum and rmsprop-alpha must be in [0, 1): " + momentum + ", "
                        + rmspropAlpha);
            }
        }

        /** The configured optimizer with its settings, for {@link dev.streamtune.model.TrainingOptions}. */
        public UpdateRule updateRule() {
            return OPTIMIZERS.get(optimizer).apply(this);
        }

        /** The same settings with what a hyperparameter search varies replaced. */
        public Hyperparameters searched(double newLearningRate, double newWeightDecay, int newMaxSteps) {
            return new Hyperparameters(newLearningRate, warmupSteps, decay, floorFraction, batchSize,
                    gradientAccumulation, epochs, newMaxSteps, newWeightDecay, dropout, loraRank, loraAlpha,
                    loraTargets, loraFirstLayer, trainableTopLayers, maxSequenceLength, seed, patience,
                    evaluateEverySteps, validationSample, peftMethod, peftSize, optimizer, momentum, rmspropAlpha,
                    unfreezeEverySteps);
        }
    }

    /**
     * The {@code replay} strategy's settings: a class-balanced reservoir of at most {@code capacity} examples and
     * at most {@code maxShareOfSeen} of the examples seen (but {@code minPerLabel} per label), mixed into every batch
     * at {@code ratio}, raised for labels only the buffer holds up to {@code maxRatio}.
     */
    @ConfigurationProperties("replay")
    public record Replay(int capacity, double maxShareOfSeen, int minPerLabel, double ratio, double maxRatio) {

        public dev.streamtune.trainer.replay.ReplayBuffer.Limits limits() {
            return new dev.streamtune.trainer.replay.ReplayBuffer.Limits(capacity, maxShareOfSeen, minPerLabel);
        }
    }

    /** The {@code ewc} strategy's settings: penalty strength, and how much of the old Fisher survives each window. */
    @ConfigurationProperties("ewc")
    public record Ewc(double lambda, double decay, int fisherSamples) {
    }

    /**
     * The {@code lwf} strategy's settings: the distillation temperature (softens teacher and student alike) and the
     * term's weight against the cross-entropy.
     */
    @ConfigurationProperties("lwf")
    public record Lwf(double temperature, double strength) {
    }

    /**
     * The {@code weight-aligning} strategy's settings: whether the new rows' biases are scaled with their weights
     * (the reference code keeps them), and whether new rows are only ever scaled down.
     */
    @ConfigurationProperties("weight-aligning")
    public record WeightAligning(boolean scaleBias, boolean shrinkOnly) {
    }

    /** The {@code joint} strategy's settings: the most examples it keeps (past that, a class-balanced sample). */
    @ConfigurationProperties("joint")
    public record Joint(int maxExamples) {
    }

    /**
     * Learning rate and weight decay searched before a window's training, on a subset of its examples
     * ({@link dev.streamtune.trainer.training.HyperparameterSearch}).
     *
     * @param method      {@code random-halving}: {@code trials} random settings pruned by successive halving from
     *                    {@code initialSteps}, keeping 1/{@code eta} per rung; {@code tpe}: sequential trials proposed
     *                    by a Tree-structured Parzen Estimator, spending the optimizer steps random-halving would
     *                    spend with the same {@code trials}, {@code initialSteps} and {@code eta}
     * @param subsetSize  training examples the trials use (the same subset for either method)
     */
    @ConfigurationProperties("search")
    public record Search(boolean enabled, String method, int trials, int initialSteps, int eta, int subsetSize,
                         Tpe tpe) {

        public Search {
            Method.named(method); // a misspelt method fails at start-up, not at the first round
        }

        public Method searchMethod() {
            return Method.named(method);
        }

        public enum Method {
            RANDOM_HALVING("random-halving"), TPE("tpe");

            private final String key;

            Method(String key) {
                this.key = key;
            }

            public String key() {
                return key;
            }

            public static Method named(String key) {
                for (Method m : values()) {
                    if (m.key.equals(key)) {
                        return m;
                    }
                }
                throw new IllegalArgumentException("trainer.search.method must be random-halving or tpe, was " + key);
            }
        }

        /**
         * The {@code tpe} method's settings ({@link dev.streamtune.trainer.search.TreeParzenEstimator}).
         *
         * @param trialSteps    optimizer steps of every trial (early stopping may end one sooner); the trials are
         *                      as many as fit in random-halving's budget
         * @param startupTrials trials drawn at random before the estimator proposes
         * @param gamma         share of the completed trials the estimator counts as good
         * @param candidates    points drawn from the good density per proposal
         * @param priorWeight   weight of the uniform prior in each density, against 1 per trial
         */
        @ConfigurationProperties("tpe")
        public record Tpe(int trialSteps, int startupTrials, double gamma, int candidates, double priorWeight) {

            public dev.streamtune.trainer.search.TreeParzenEstimator.Settings estimator() {
                return new dev.streamtune.trainer.search.TreeParzenEstimator.Settings(startupTrials, gamma,
                        candidates, priorWeight);
            }
        }
    }

    /**
     * EDA augmentation of a round's training examples (Wei and Zou 2019; {@link
     * dev.streamtune.trainer.augment.TrainingAugmentation}): {@code copies} extra copies of each, each changed by one
     * of the operations whose rate (EDA's alpha) is above 0. A task's {@code trainingOverrides} may switch it
     * ({@code augmentation-enabled}) and set {@code augmentation-copies}.
     *
     * @param wordnetDir the WordNet database (Debian layout, {@code index.noun}, {@code data.noun}, ...), needed only
     *                   when synonym replacement or random insertion is on
     */
    @ConfigurationProperties("augmentation")
    public record Augmentation(boolean enabled, int copies, double synonymReplacement, double randomInsertion,
                               double randomSwap, double randomDeletion, String wordnetDir) {

        public Augmentation {
            for (double rate : new double[] {synonymReplacement, randomInsertion, randomSwap, randomDeletion}) {
                if (!(rate >= 0 && rate <= 1)) {
                    throw new IllegalArgumentException("trainer.augmentation rates must be in [0, 1], was " + rate);
                }
            }
            if (copies < 0) {
                throw new IllegalArgumentException("trainer.augmentation.copies must be at least 0, was " + copies);
            }
        }

        /** Whether the operations on need the dictionary (synonym replacement, random insertion). */
        public boolean needsWordnet() {
            return synonymReplacement > 0 || randomInsertion > 0;
        }

        /** The same settings switched and with other copies (a task's override). */
        public Augmentation with(boolean newEnabled, int newCopies) {
            return new Augmentation(newEnabled, newCopies, synonymReplacement, randomInsertion, randomSwap,
                    randomDeletion, wordnetDir);
        }

        public java.util.Map<dev.streamtune.trainer.augment.EdaAugmenter.Operation, Double> rates() {
            return java.util.Map.of(
                    dev.streamtune.trainer.augment.EdaAugmenter.Operation.SYNONYM_REPLACEMENT, synonymReplacement,
                    dev.streamtune.trainer.augment.EdaAugmenter.Operation.RANDOM_INSERTION, randomInsertion,
                    dev.streamtune.trainer.augment.EdaAugmenter.Operation.RANDOM_SWAP, randomSwap,
                    dev.streamtune.trainer.augment.EdaAugmenter.Operation.RANDOM_DELETION, randomDeletion);
        }
    }
}
