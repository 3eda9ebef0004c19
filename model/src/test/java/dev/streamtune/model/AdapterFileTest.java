package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamtune.model.nn.LoraTarget;
import dev.streamtune.model.weights.Dtype;
import dev.streamtune.model.weights.SafetensorsReader;
import dev.streamtune.model.weights.SafetensorsWriter;
import dev.streamtune.model.weights.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterFileTest {

    private static final List<String> LABELS = List.of("billing", "delivery", "other");
    private static final List<String> TEXTS = List.of("Where is my parcel?", "I was charged twice.", "Hello there");

    @TempDir
    Path dir;

    @Test
    void roundTripRestoresTheClassifierExactly() throws IOException {
        BaseModel base = TestModels.miniLm();
        ClassifierConfig config = ClassifierConfig.of(LABELS)
                .withLora(new LoraConfig(4, 8f, 0.05f, EnumSet.of(LoraTarget.QUERY, LoraTarget.VALUE,
                        LoraTarget.INTERMEDIATE)))
                .withTrainableTopLayers(1).withMaxSequenceLength(64).withSeed(7);
        Path file = dir.resolve("support.adapter");
        Map<String, float[]> trained;
        List<Prediction> expected;
        try (TextClassifier classifier = TextClassifier.create(base, config)) {
            try (TrainingSession s = TrainingSession.start(classifier, TrainingOptions.defaults())) {
                for (int i = 0; i < 3; i++) {
                    s.trainStep(List.of(new LabeledText(TEXTS.get(0), "delivery"), new LabeledText(TEXTS.get(1), "billing")),
                            1e-3f);
                }
            }
            trained = classifier.snapshot();
            expected = classifier.predict(TEXTS);
            classifier.save(file, Map.of("parent", "none", "windows", "w-1,w-2"));
        }
        try (TextClassifier loaded = TextClassifier.load(base, file)) {
            assertEquals(config, loaded.config());
            assertEquals(Map.of("parent", "none", "windows", "w-1,w-2"), loaded.lineage());
            assertEquals(trained.keySet(), loaded.snapshot().keySet());
            trained.forEach((name, values) -> assertArrayEquals(values, loaded.snapshot().get(name), name));
            assertEquals(expected, loaded.predict(TEXTS));
            assertEquals(Optional.of(List.of("billing", "delivery")), loaded.learnedLabels(),
                    "the head declares three labels; training saw two");
        }
        AdapterFile.Metadata meta = AdapterFile.read(file).metadata();
        assertEquals(BuiltInModels.MINILM_ID, meta.baseModelId());
        assertEquals(base.checksum(), meta.baseModelChecksum());
        // Self-describing: any safetensors reader sees the metadata as plain strings.
        Map<String, String> raw = SafetensorsReader.read(file).metadata();
        assertEquals("streamtune-adapter", raw.get("format"));
        assertEquals("[\"billing\",\"delivery\",\"other\"]", raw.get("labels"));
        assertEquals("query,value,intermediate", raw.get("lora_targets"));
        assertEquals("4", raw.get("lora_rank"));
        assertEquals("[\"billing\",\"delivery\"]", raw.get("learned_labels"));
        assertEquals("1", raw.get("trainable_top_layers"));
        assertTrue(Files.size(file) < 8_000_000, "LoRA + head + one layer: a few MB");
    }

    @Test
    void aFileWrittenBeforeLearnedLabelsWereRecordedLoadsWithThemUnknown() throws IOException {
        BaseModel base = TestModels.miniLm();
        Path fresh = dir.resolve("fresh.adapter");
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(LABELS))) {
            assertEquals(Optional.of(List.of()), classifier.learnedLabels(), "a new head has learned nothing yet");
            classifier.save(fresh, Map.of());
        }
        AdapterFile.Contents contents = AdapterFile.read(fresh);
        AdapterFile.Metadata m = contents.metadata();
        Path older = dir.resolve("older.adapter");
        AdapterFile.write(older, new AdapterFile.Metadata(m.baseModelId(), m.baseModelChecksum(), m.classifier(),
                m.lineage()), contents.tensors().values());
        assertTrue(!SafetensorsReader.read(older).metadata().containsKey("learned_labels"));

        try (TextClassifier loaded = TextClassifier.load(base, older)) {
            assertEquals(Optional.empty(), loaded.learnedLabels());
            loaded.assumeLearned(List.of("other", "billing"));
            assertEquals(Optional.of(List.of("billing", "other")), loaded.learnedLabels(), "in logit order");
            assertThrows(IllegalArgumentException.class, () -> loaded.assumeLearned(List.of("weather")));
        }
    }

    @Test
    void theTemperatureIsStoredAndAFileWithoutItReadsAsOne() throws IOException {
        BaseModel base = TestModels.miniLm();
        Path calibrated = dir.resolve("calibrated.adapter");
        List<Prediction> expected;
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(LABELS))) {
            classifier.calibrate(1.75);
            expected = classifier.predict(TEXTS);
            classifier.save(calibrated, Map.of());
        }
        assertEquals("1.75", SafetensorsReader.read(calibrated).metadata().get("temperature"));
        try (TextClassifier loaded = TextClassifier.load(base, calibrated)) {
            assertEquals(1.75f, loaded.temperature());
            assertEquals(expected, loaded.predict(TEXTS), "served probabilities are the calibrated ones");
        }

        // A file written before calibration existed: the same file without the key.
        var file = SafetensorsReader.read(calibrated);
        Map<String, String> older = new java.util.TreeMap<>(file.metadata());
        older.remove("temperature");
        Path before = dir.resolve("before-calibration.adapter");
        SafetensorsWriter.write(before, List.copyOf(file.tensors().values()), older, Dtype.F32);
        assertEquals(1f, AdapterFile.read(before).metadata().temperature());
        try (TextClassifier loaded = TextClassifier.load(base, before)) {
            assertEquals(1f, loaded.temperature());
        }

        for (String bad : new String[] {"0", "-1", "NaN", "Infinity", "warm"}) {
            older.put("temperature", bad);
            Path invalid = dir.resolve("invalid-" + bad + ".adapter");
            SafetensorsWriter.write(invalid, List.copyOf(file.tensors().values()), older, Dtype.F32);
            CorruptAdapterException e = assertThrows(CorruptAdapterException.class, () -> AdapterFile.read(invalid));
            assertTrue(e.getMessage().contains("invalid metadata"), e.getMessage());
        }
    }

    @Test
    void learnedLabelsOutsideTheHeadAreRefused() {
        ClassifierConfig config = ClassifierConfig.of(LABELS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AdapterFile.Metadata("base", "sum", config, Map.of(), List.of("billing", "weather")));
        assertTrue(e.getMessage().contains("weather"), e.getMessage());
    }

    @Test
    void refusesAnAdapterTrainedOnAnotherBaseModel() throws IOException {
        Path file = dir.resolve("minilm.adapter");
        try (TextClassifier classifier = TextClassifier.create(TestModels.miniLm(), ClassifierConfig.of(LABELS))) {
            classifier.save(file, Map.of());
        }
        Path checkpoint = Files.createDirectory(dir.resolve("tiny"));
        HuggingFaceCheckpointTest.writeCheckpoint(checkpoint, HuggingFaceCheckpointTest.TINY, Dtype.F32, 1, false);
        try (BaseModel other = BaseModel.fromHuggingFaceDirectory(checkpoint, "tiny-bert")) {
            BaseModelMismatchException e = assertThrows(BaseModelMismatchException.class,
                    () -> TextClassifier.load(other, file));
            assertTrue(e.getMessage().contains(BuiltInModels.MINILM_ID) && e.getMessage().contains("tiny-bert"),
                    e.getMessage());
        }
    }

    @Test
    void refusesCorruptedFilesWithAClearReason() throws IOException {
        BaseModel base = TestModels.miniLm();
        Path good = dir.resolve("good.adapter");
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(LABELS))) {
            classifier.save(good, Map.of());
        }
        byte[] bytes = Files.readAllBytes(good);

        byte[] flipped = bytes.clone();
        flipped[flipped.length - 100] ^= 0x10; // one bit of one weight
        assertCorrupt(flipped, "checksum");

        assertCorrupt(java.util.Arrays.copyOf(bytes, bytes.length / 2), "corrupt");
        assertCorrupt(java.util.Arrays.copyOf(bytes, 5), "corrupt");
        assertCorrupt("definitely not an adapter".getBytes(), "corrupt");

        Path plain = dir.resolve("plain.safetensors");
        SafetensorsWriter.write(plain, List.of(new Tensor("w", new long[] {1}, new float[] {1})), Map.of(), Dtype.F32);
        CorruptAdapterException e = assertThrows(CorruptAdapterException.class, () -> TextClassifier.load(base, plain));
        assertTrue(e.getMessage().contains("not a streamtune-adapter file"), e.getMessage());

        // Intact file whose tensors disagree with its own metadata (rank 8 declared, tensors dropped).
        AdapterFile.Contents contents = AdapterFile.read(good);
        Path inconsistent = dir.resolve("inconsistent.adapter");
        AdapterFile.write(inconsistent, contents.metadata(), contents.tensors().values().stream()
                .filter(t -> !t.name().startsWith("encoder.layer.3.")).toList());
        e = assertThrows(CorruptAdapterException.class, () -> TextClassifier.load(base, inconsistent));
        assertTrue(e.getMessage().contains("missing encoder.layer.3"), e.getMessage());

        assertThrows(java.nio.file.NoSuchFileException.class, () -> TextClassifier.load(base, dir.resolve("absent")));
    }

    @Test
    void refusesNonFiniteWeightsEvenWithTheChecksumRecomputed() throws IOException {
        BaseModel base = TestModels.miniLm();
        Path good = dir.resolve("finite.adapter");
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(LABELS))) {
            classifier.save(good, Map.of());
        }
        AdapterFile.Contents contents = AdapterFile.read(good);
        for (float poison : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            List<Tensor> tensors = contents.tensors().values().stream().map(t -> {
                if (!t.name().startsWith("classifier.")) {
                    return t;
                }
                float[] data = t.data().clone();
                data[0] = poison;
                return new Tensor(t.name(), t.shape(), data);
            }).toList();
            Path poisoned = dir.resolve("poisoned-" + poison + ".adapter");
            AdapterFile.write(poisoned, contents.metadata(), tensors); // a well-formed file, checksums and all
            CorruptAdapterException e = assertThrows(CorruptAdapterException.class,
                    () -> TextClassifier.load(base, poisoned));
            assertTrue(e.getMessage().contains("non-finite value") && e.getMessage().contains("classifier."),
                    e.getMessage());
        }
    }

    private void assertCorrupt(byte[] content, String reason) throws IOException {
        Path file = Files.createTempFile(dir, "bad", ".adapter");
        Files.write(file, content);
        CorruptAdapterException e = assertThrows(CorruptAdapterException.class,
                () -> TextClassifier.load(TestModels.miniLm(), file));
        assertTrue(e.getMessage().contains(reason) && e.getMessage().contains(file.toString()), e.getMessage());
    }
}
