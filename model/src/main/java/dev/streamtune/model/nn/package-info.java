/**
 * The encoder as DJL blocks: {@link dev.streamtune.model.nn.BertEmbeddings}, {@link dev.streamtune.model.nn.BertLayer}
 * (self-attention and FFN, post-LayerNorm), {@link dev.streamtune.model.nn.BertEncoder},
 * {@link dev.streamtune.model.nn.ClassifierHead} (mean pooling + linear) and
 * {@link dev.streamtune.model.nn.BertClassifier}. Every projection is a {@link dev.streamtune.model.nn.LoraLinear},
 * which is what lets an adapter wrap any of them (DJL's own TransformerEncoderBlock keeps its Linear layers
 * private and uses BatchNorm).
 *
 * <p>Blocks are handed their arrays at construction; they never create or own weights. Parameter names are the
 * HuggingFace/PEFT names ({@code encoder.layer.0.attention.self.query.lora_A.weight}).
 */
package dev.streamtune.model.nn;
