package dev.streamtune.trainer.window;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Split;
import dev.streamtune.schema.TrainingWindow;

/**
 * Gathers each window's train and validation examples from the clean topic until its manifest has arrived and the
 * counts match, then hands the complete window over once. Test examples are the evaluator's and are not kept.
 */
public final class WindowAssembler {

    /** A window ready to train on. */
    public record Window(TrainingWindow manifest, List<CleanExample> train, List<CleanExample> validation) {
    }

    private final Map<String, List<CleanExample>> train = new HashMap<>();
    private final Map<String, List<CleanExample>> validation = new HashMap<>();
    private final Map<String, TrainingWindow> manifests = new LinkedHashMap<>();

    public void add(CleanExample example) {
        if (example.getSplit() == Split.TRAIN) {
            train.computeIfAbsent(example.getWindowId(), w -> new ArrayList<>()).add(example);
        } else if (example.getSplit() == Split.VALIDATION) {
            validation.computeIfAbsent(example.getWindowId(), w -> new ArrayList<>()).add(example);
        }
    }

    public void add(TrainingWindow manifest) {
        manifests.put(manifest.getWindowId(), manifest);
    }

    /** The oldest window whose examples have all arrived, removed from the assembler. */
    public Optional<Window> nextComplete() {
        for (TrainingWindow manifest : manifests.values()) {
            String id = manifest.getWindowId();
            List<CleanExample> windowTrain = train.getOrDefault(id, List.of());
            List<CleanExample> windowValidation = validation.getOrDefault(id, List.of());
            if (windowTrain.size() >= manifest.getTrainCount()
                    && windowValidation.size() >= manifest.getValidationCount()) {
                manifests.remove(id);
                train.remove(id);
                validation.remove(id);
                return Optional.of(new Window(manifest, windowTrain, windowValidation));
            }
        }
        return Optional.empty();
    }

    /** Forgets a window already trained before a restart; its examples may still be replayed from the topic. */
    public void discard(String windowId) {
        manifests.remove(windowId);
        train.remove(windowId);
        validation.remove(windowId);
    }

    public int pendingWindows() {
        return manifests.size();
    }
}
