package dev.streamtune.model.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads safetensors files (8-byte little-endian header length, JSON header, raw little-endian data). F32, F16,
 * BF16 and F64 tensors are widened to fp32 in Java; integer tensors are skipped. Every offset and size is checked
 * against the file, so a truncated or tampered file fails with {@link SafetensorsFormatException} instead of
 * yielding garbage.
 */
public final class SafetensorsReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private SafetensorsReader() {}

    /**
     * Reads a whole file.
     *
     * @throws SafetensorsFormatException if the file is not well-formed safetensors
     * @throws IOException if it cannot be read
     */
    public static SafetensorsFile read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsFormatException(file + ": too short for a safetensors file (" + size + " bytes)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || 8 + headerLen > size) {
                throw new SafetensorsFormatException(file + ": header length " + headerLen + " does not fit a "
                        + size + "-byte file");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new SafetensorsFormatException(file + ": header is not valid JSON: " + e.getOriginalMessage());
            }
            if (header == null || !header.isObject()) {
                throw new SafetensorsFormatException(file + ": header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, String> metadata = new HashMap<>();
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                Tensor t = readTensor(file, ch, e.getKey(), e.getValue(), dataStart, dataLen);
                if (t != null) {
                    tensors.put(t.name(), t);
                }
            }
            return new SafetensorsFile(tensors, metadata);
        }
    }

    private static Tensor readTensor(Path file, FileChannel ch, String name, JsonNode entry, long dataStart,
            long dataLen) throws IOException {
        JsonNode dtypeNode = entry.get("dtype");
        JsonNode shapeNode = entry.get("shape");
        JsonNode offsets = entry.get("data_offsets");
        if (dtypeNode == null || shapeNode == null || offsets == null || !shapeNode.isArray()
                || !offsets.isArray() || offsets.size() != 2) {
            throw new SafetensorsFormatException(file + ": tensor " + name + " lacks dtype, shape or data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataLen) {
            throw new SafetensorsFormatException(file + ": tensor " + name + " data_offsets [" + begin + ", " + end
                    + ") fall outside the " + dataLen + "-byte data section");
        }
        Dtype dtype;
        try {
            dtype = Dtype.valueOf(dtypeNode.asText());
        } catch (IllegalArgumentException notFloat) {
            return null; // integer/bool tensors such as position_ids are not weights
        }
        long count;
        try {
            count = Tensor.elementCount(shape);
        } catch (IllegalArgumentException | ArithmeticException bad) {
            throw new SafetensorsFormatException(file + ": tensor " + name + " has invalid shape "
                    + Arrays.toString(shape));
        }
        if (count * dtype.bytes() != end - begin) {
            throw new SafetensorsFormatException(file + ": tensor " + name + " shape " + Arrays.toString(shape) + " "
                    + dtype + " needs " + count * dtype.bytes() + " bytes, data_offsets give " + (end - begin));
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new SafetensorsFormatException(file + ": tensor " + name + " is too large");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, buf, dataStart + begin);
        buf.flip();
        float[] values = new float[(int) count];
        dtype.decode(buf, values);
        return new Tensor(name, shape, values);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new SafetensorsFormatException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }
}
