package dev.streamtune.model.weights;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the weights of a BERT-family ONNX export (as produced by HuggingFace Optimum / transformers.js) with
 * protobuf's wire reader, so no generated ONNX classes are needed.
 *
 * <p>The exporter keeps HuggingFace names for embeddings, biases and LayerNorms, but renames the linear weights
 * ({@code onnx::MatMul_787}) and stores them as [in, out]. The MatMul node that consumes each one carries the
 * module path ({@code /encoder/layer.0/attention/self/query/MatMul}), which gives back the HuggingFace name; the
 * weight is transposed to PyTorch's [out, in].
 */
public final class OnnxWeightReader {

    // onnx.proto field numbers (stable since ONNX 1.0).
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int NODE_INPUT = 1;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final int ONNX_FLOAT = 1;

    private static final Pattern MATMUL_NODE = Pattern.compile("^/(.+)/MatMul$");

    private OnnxWeightReader() {}

    /**
     * Reads every fp32 initializer, with linear weights renamed and transposed.
     *
     * @param onnx the model file; read to its end but not closed
     * @return tensors by HuggingFace name, e.g. {@code encoder.layer.0.attention.self.query.weight}
     * @throws IOException if the stream is not a readable ONNX model with embedded fp32 weights
     */
    public static Map<String, Tensor> read(InputStream onnx) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(onnx);
        in.setSizeLimit(Integer.MAX_VALUE);
        Map<String, Tensor> initializers = new LinkedHashMap<>();
        Map<String, String> weightToModule = new HashMap<>();
        boolean sawGraph = false;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (WireFormat.getTagFieldNumber(tag) == MODEL_GRAPH) {
                sawGraph = true;
                int limit = in.pushLimit(in.readRawVarint32());
                readGraph(in, initializers, weightToModule);
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
        if (!sawGraph) {
            throw new IOException("not an ONNX model: no graph found");
        }
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (Tensor t : initializers.values()) {
            String module = weightToModule.get(t.name());
            if (module != null && t.name().startsWith("onnx::")) {
                String hfName = module.replace('/', '.') + ".weight";
                named.put(hfName, t.transposed2d().renamed(hfName));
            } else {
                named.put(t.name(), t);
            }
        }
        return named;
    }

    private static void readGraph(CodedInputStream in, Map<String, Tensor> initializers,
            Map<String, String> weightToModule) throws IOException {
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case GRAPH_NODE -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    readNode(in, weightToModule);
                    in.popLimit(limit);
                }
                case GRAPH_INITIALIZER -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    Tensor t = readTensor(in);
                    if (t != null) {
                        initializers.put(t.name(), t);
                    }
                    in.popLimit(limit);
                }
                default -> in.skipField(tag);
            }
        }
    }

    private static void readNode(CodedInputStream in, Map<String, String> weightToModule) throws IOException {
        List<String> inputs = new ArrayList<>(2);
        String name = "";
        String opType = "";
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case NODE_INPUT -> inputs.add(in.readStringRequireUtf8());
                case NODE_NAME -> name = in.readStringRequireUtf8();
                case NODE_OP_TYPE -> opType = in.readStringRequireUtf8();
                default -> in.skipField(tag);
            }
        }
        if ("MatMul".equals(opType) && inputs.size() == 2 && inputs.get(1).startsWith("onnx::")) {
            Matcher m = MATMUL_NODE.matcher(name);
            if (m.matches()) {
                weightToModule.put(inputs.get(1), m.group(1));
            }
        }
    }

    /** Returns the tensor, or null for non-fp32 initializers (e.g. int64 position_ids), which BERT does not need. */
    private static Tensor readTensor(CodedInputStream in) throws IOException {
        List<Long> dims = new ArrayList<>(4);
        int dataType = 0;
        String name = "";
        byte[] raw = null;
        List<Float> floats = null;
        boolean external = false;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case TENSOR_DIMS -> {
                    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int limit = in.pushLimit(in.readRawVarint32());
                        while (!in.isAtEnd()) {
                            dims.add(in.readInt64());
                        }
                        in.popLimit(limit);
                    } else {
                        dims.add(in.readInt64());
                    }
                }
                case TENSOR_DATA_TYPE -> dataType = in.readInt32();
                case TENSOR_NAME -> name = in.readStringRequireUtf8();
                case TENSOR_RAW_DATA -> raw = in.readByteArray();
                case TENSOR_FLOAT_DATA -> {
                    if (floats == null) {
                        floats = new ArrayList<>();
                    }
                    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int limit = in.pushLimit(in.readRawVarint32());
                        while (!in.isAtEnd()) {
                            floats.add(in.readFloat());
                        }
                        in.popLimit(limit);
                    } else {
                        floats.add(in.readFloat());
                    }
                }
                case TENSOR_DATA_LOCATION -> external = in.readEnum() == 1;
                default -> in.skipField(tag);
            }
        }
        if (dataType != ONNX_FLOAT) {
            return null;
        }
        if (external) {
            throw new IOException("initializer " + name + " uses external data, which is not supported");
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        float[] values;
        if (raw != null) {
            values = new float[raw.length / Float.BYTES];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        } else if (floats != null) {
            values = new float[floats.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = floats.get(i);
            }
        } else {
            values = new float[0];
        }
        return new Tensor(name, shape, values);
    }
}
