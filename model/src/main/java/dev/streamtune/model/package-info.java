/**
 * Model core shared by trainer, evaluator and serving: a BERT-family encoder on DJL + PyTorch with LoRA adapters,
 * loaded from real pre-trained weights, a fast inference path and a training step.
 *
 * <p>How the parts fit:
 * <ul>
 *   <li>{@link dev.streamtune.model.BaseModel} holds a pre-trained encoder's frozen weights and tokenizer, loaded
 *       once per process ({@link dev.streamtune.model.BuiltInModels#miniLm()} or a HuggingFace directory).
 *   <li>{@link dev.streamtune.model.TextClassifier} is the base plus one adapter: LoRA matrices, a head for a
 *       label set and optionally copies of the top layers. Many can share one base. Thread-safe
 *       {@code predict}; {@code close()} frees only the adapter, after in-flight calls finish.
 *   <li>{@link dev.streamtune.model.TrainingSession} runs optimizer steps on a classifier's own parameters, with
 *       gradient accumulation, per-step learning rates, extra loss terms, parameters held frozen for a while and a
 *       Fisher diagonal for EWC. The optimizer method is an {@link dev.streamtune.model.optimizer.UpdateRule}
 *       (AdamW by default, SGD with momentum, RMSprop); its state is an {@link dev.streamtune.model.OptimizerState}.
 *   <li>{@link dev.streamtune.model.AdapterFile} is the on-disk format: safetensors plus metadata that names the
 *       base model by checksum.
 * </ul>
 *
 * <p>Native memory has one owner per lifetime: the base model's NDManager (weights), a classifier's sub-manager
 * (its adapter arrays), a session's sub-manager (the optimizer's state slots), and a short-lived sub-manager per request or
 * per step. Results of DJL operations belong to the manager of their first operand, so the blocks always put the
 * activation first.
 */
package dev.streamtune.model;
