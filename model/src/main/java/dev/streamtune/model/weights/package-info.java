/**
 * Reading and writing tensors: ONNX initializers through protobuf's wire reader (no generated ONNX classes) and
 * safetensors (F32, F16, BF16, F64 widened to fp32 in Java). Everything arrives as {@link
 * dev.streamtune.model.weights.Tensor}: a name, a shape and a {@code float[]}.
 */
package dev.streamtune.model.weights;
