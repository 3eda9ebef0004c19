package dev.streamtune.model.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an ONNX model (one graph, fp32/int8/int64 initializers with raw data) with protobuf's wire writer, so no
 * generated ONNX classes are needed; the counterpart of {@code weights.OnnxWeightReader}. Field numbers are those
 * of {@code onnx.proto}, stable since ONNX 1.0.
 *
 * <p>Names are the graph's wiring: {@link #node} returns its output name so graph code reads as expressions.
 */
public final class OnnxGraphWriter {

    /** ONNX opset of the default domain the graph is written against (LayerNormalization needs 17). */
    public static final int OPSET = 17;
    /** ONNX Runtime's contrib operators (Gelu, DynamicQuantizeMatMul). */
    public static final String MICROSOFT = "com.microsoft";
    private static final long IR_VERSION = 8; // the IR version of opset 17

    // TensorProto.DataType
    static final int FLOAT = 1;
    static final int INT8 = 3;
    static final int INT64 = 7;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private final Map<String, Integer> counters = new LinkedHashMap<>();
    private long initializerBytes;

    /** A graph input; a dimension is a {@code Long} (fixed) or a {@code String} (symbolic, e.g. "batch"). */
    public void input(String name, int elemType, Object... dims) {
        inputs.add(valueInfo(name, elemType, dims));
    }

    public void output(String name, int elemType, Object... dims) {
        outputs.add(valueInfo(name, elemType, dims));
    }

    /**
     * Adds a node.
     *
     * @param domain "" for the default ONNX domain, or {@link #MICROSOFT}
     * @param attributes name to {@code Long}, {@code Float}, {@code long[]} or {@code String}
     * @return the name of its (single) output
     */
    public String node(String opType, String domain, Map<String, Object> attributes, String... nodeInputs) {
        String output = fresh(opType);
        node(opType, domain, attributes, List.of(nodeInputs), List.of(output));
        return output;
    }

    /** A default-domain node without attributes. */
    public String node(String opType, String... nodeInputs) {
        return node(opType, "", Map.of(), nodeInputs);
    }

    /** A node with several outputs (named by the caller). */
    public void node(String opType, String domain, Map<String, Object> attributes, List<String> nodeInputs,
            List<String> nodeOutputs) {
        nodes.add(message(out -> {
            for (String in : nodeInputs) {
                out.writeString(1, in);
            }
            for (String o : nodeOutputs) {
                out.writeString(2, o);
            }
            out.writeString(3, nodeOutputs.get(0) + "_node");
            out.writeString(4, opType);
            for (Map.Entry<String, Object> a : attributes.entrySet()) {
                out.writeByteArray(5, attribute(a.getKey(), a.getValue()));
            }
            if (!domain.isEmpty()) {
                out.writeString(7, domain);
            }
        }));
    }

    /** An fp32 initializer; returns its name. */
    public String floats(String name, long[] dims, float[] values) {
        checkSize(dims, values.length);
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return initializer(name, FLOAT, dims, raw.array());
    }

    /**
     * An fp32 initializer whose data is not in the model: the session must be given it by name
     * ({@code SessionOptions.addExternalInitializers}), so one tensor in memory can serve many sessions.
     */
    public String externalFloats(String name, long[] dims) {
        initializers.add(message(out -> {
            for (long d : dims) {
                out.writeInt64(1, d);
            }
            out.writeInt32(2, FLOAT);
            out.writeString(8, name);
            out.writeByteArray(13, message(entry -> { // external_data: where it would be on disk
                entry.writeString(1, "location");
                entry.writeString(2, name + ".bin");
            }));
            out.writeEnum(14, 1); // data_location EXTERNAL
        }));
        return name;
    }

    /** An int8 initializer; returns its name. */
    public String int8s(String name, long[] dims, byte[] values) {
        checkSize(dims, values.length);
        return initializer(name, INT8, dims, values.clone());
    }

    /** An int64 initializer (shapes, axes, indices); returns its name. */
    public String longs(String name, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return initializer(name, INT64, new long[] {values.length}, raw.array());
    }

    /** Bytes of weight data written so far. */
    public long initializerBytes() {
        return initializerBytes;
    }

    /** The serialized {@code ModelProto}. */
    public byte[] toBytes(String graphName) {
        byte[] graph = message(out -> {
            for (byte[] n : nodes) {
                out.writeByteArray(1, n);
            }
            out.writeString(2, graphName);
            for (byte[] i : initializers) {
                out.writeByteArray(5, i);
            }
            for (byte[] i : inputs) {
                out.writeByteArray(11, i);
            }
            for (byte[] o : outputs) {
                out.writeByteArray(12, o);
            }
        });
        return message(out -> {
            out.writeInt64(1, IR_VERSION);
            out.writeString(2, "streamtune");
            out.writeByteArray(7, graph);
            out.writeByteArray(8, opset("", OPSET));
            out.writeByteArray(8, opset(MICROSOFT, 1));
        });
    }

    private String initializer(String name, int dataType, long[] dims, byte[] raw) {
        initializers.add(message(out -> {
            for (long d : dims) {
                out.writeInt64(1, d);
            }
            out.writeInt32(2, dataType);
            out.writeString(8, name);
            out.writeByteArray(9, raw);
        }));
        initializerBytes += raw.length;
        return name;
    }

    private String fresh(String opType) {
        int n = counters.merge(opType, 1, Integer::sum);
        return opType + "_" + n;
    }

    private static void checkSize(long[] dims, int length) {
        long size = 1;
        for (long d : dims) {
            size *= d;
        }
        if (size != length) {
            throw new IllegalArgumentException(length + " values for shape " + java.util.Arrays.toString(dims));
        }
    }

    private static byte[] opset(String domain, long version) {
        return message(out -> {
            out.writeString(1, domain);
            out.writeInt64(2, version);
        });
    }

    private static byte[] attribute(String name, Object value) {
        return message(out -> {
            out.writeString(1, name);
            if (value instanceof Float f) {
                out.writeFloat(2, f);
                out.writeEnum(20, 1); // FLOAT
            } else if (value instanceof Long l) {
                out.writeInt64(3, l);
                out.writeEnum(20, 2); // INT
            } else if (value instanceof String s) {
                out.writeByteArray(4, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.writeEnum(20, 3); // STRING
            } else if (value instanceof long[] ls) {
                for (long l : ls) {
                    out.writeInt64(8, l);
                }
                out.writeEnum(20, 7); // INTS
            } else {
                throw new IllegalArgumentException("attribute " + name + ": unsupported " + value.getClass());
            }
        });
    }

    private static byte[] valueInfo(String name, int elemType, Object... dims) {
        byte[] shape = message(out -> {
            for (Object d : dims) {
                out.writeByteArray(1, message(dim -> {
                    if (d instanceof Long l) {
                        dim.writeInt64(1, l);
                    } else {
                        dim.writeString(2, (String) d);
                    }
                }));
            }
        });
        byte[] tensorType = message(out -> {
            out.writeInt32(1, elemType);
            out.writeByteArray(2, shape);
        });
        byte[] type = message(out -> out.writeByteArray(1, tensorType));
        return message(out -> {
            out.writeString(1, name);
            out.writeByteArray(2, type);
        });
    }

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            fields.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory: cannot happen
        }
    }
}
