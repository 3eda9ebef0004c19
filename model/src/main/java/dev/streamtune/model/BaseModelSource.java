package dev.streamtune.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Picks the base model a service runs on, from one configuration value shared by trainer, evaluator and serving:
 * a HuggingFace checkpoint directory (config.json, model.safetensors, tokenizer.json), or the bundled MiniLM when
 * the value is blank. All three must name the same one, or adapters will be refused as made for another base.
 */
public final class BaseModelSource {

    private BaseModelSource() {
    }

    public static BaseModel load(String checkpointDirectory) throws IOException {
        if (checkpointDirectory == null || checkpointDirectory.isBlank()) {
            return BuiltInModels.miniLm();
        }
        Path dir = Path.of(checkpointDirectory.strip());
        if (!Files.isDirectory(dir)) {
            throw new IOException("Base model directory " + dir.toAbsolutePath() + " does not exist");
        }
        return BaseModel.fromHuggingFaceDirectory(dir, dir.getFileName().toString());
    }
}
