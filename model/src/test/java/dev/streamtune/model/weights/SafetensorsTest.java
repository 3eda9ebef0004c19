package dev.streamtune.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SafetensorsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Dtype.class)
    void readsBackWhatWasWrittenRoundedToTheFileType(Dtype dtype) throws IOException {
        Random rnd = new Random(3);
        Tensor a = random("a.weight", new long[] {3, 5}, rnd);
        Tensor b = random("b.bias", new long[] {7}, rnd);
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.write(file, List.of(a, b), Map.of("k", "v"), dtype);

        SafetensorsFile read = SafetensorsReader.read(file);
        assertEquals(Map.of("k", "v"), read.metadata());
        assertEquals(List.of("a.weight", "b.bias"), List.copyOf(read.tensors().keySet()));
        for (Tensor t : List.of(a, b)) {
            Tensor got = read.tensors().get(t.name());
            assertArrayEquals(t.shape(), got.shape());
            float[] expected = t.data().clone();
            for (int i = 0; i < expected.length; i++) {
                expected[i] = dtype.round(expected[i]);
            }
            assertArrayEquals(expected, got.data());
        }
    }

    @Test
    void halfAndBfloat16RoundToNearestEven() {
        assertEquals(1.0f, Dtype.F16.round(1.0f));
        assertEquals(65504f, Dtype.F16.round(65504f));
        assertEquals(Float.POSITIVE_INFINITY, Dtype.F16.round(70000f));
        assertEquals(0x1p-24f, Dtype.F16.round(0x1p-24f)); // smallest subnormal half
        assertEquals(1.0009765625f, Dtype.F16.round(1.00073f)); // 1 + 2^-10
        assertEquals(1.0f, Dtype.F16.round(1.0004f));
        assertEquals(1.0078125f, Dtype.BF16.round(1.006f)); // 1 + 2^-7
        assertEquals(1.0f, Dtype.BF16.round(1.003f));
        assertEquals(-2.5f, Dtype.BF16.round(-2.5f));
        assertTrue(Float.isNaN(Dtype.BF16.round(Float.NaN)));
        assertTrue(Float.isNaN(Dtype.F16.round(Float.NaN)));
    }

    @Test
    void skipsIntegerTensors() throws IOException {
        String header = "{\"position_ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]}}";
        ByteBuffer data = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(1).putFloat(2.5f);
        Path file = write(header, data.array());
        SafetensorsFile read = SafetensorsReader.read(file);
        assertEquals(List.of("w"), List.copyOf(read.tensors().keySet()));
        assertArrayEquals(new float[] {2.5f}, read.tensors().get("w").data());
    }

    @Test
    void refusesMalformedFiles() throws IOException {
        Path truncated = dir.resolve("truncated.safetensors");
        SafetensorsWriter.write(truncated, List.of(random("w", new long[] {64}, new Random(1))), Map.of(), Dtype.F32);
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 10));
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsReader.read(truncated));
        assertTrue(e.getMessage().contains("data_offsets"), e.getMessage());

        assertThrows(SafetensorsFormatException.class, () -> SafetensorsReader.read(write("{not json", new byte[0])));
        assertThrows(SafetensorsFormatException.class,
                () -> SafetensorsReader.read(write("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                        new byte[8])));
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertThrows(SafetensorsFormatException.class, () -> SafetensorsReader.read(tiny));
        Path hugeHeader = dir.resolve("huge");
        Files.write(hugeHeader, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertThrows(SafetensorsFormatException.class, () -> SafetensorsReader.read(hugeHeader));
    }

    private Path write(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h).put(data);
        Path file = Files.createTempFile(dir, "st", ".safetensors");
        Files.write(file, buf.array());
        return file;
    }

    static Tensor random(String name, long[] shape, Random rnd) {
        float[] data = new float[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rnd.nextGaussian();
        }
        return new Tensor(name, shape, data);
    }
}
