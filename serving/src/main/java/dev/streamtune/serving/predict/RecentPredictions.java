package dev.streamtune.serving.predict;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last predictions served by this process, by prediction id, so feedback naming only an id can be completed
 * with the text, the predicted label and the adapter. Bounded: the oldest are forgotten first.
 */
public final class RecentPredictions implements PredictionService.Observer {

    /** What feedback needs to know about a served prediction. */
    public record Recent(String predictionId, String task, String adapterId, String text, String predictedLabel,
                         List<String> labels) {
    }

    private final Map<String, Recent> byId;

    public RecentPredictions(int capacity) {
        this.byId = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Recent> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public void answered(Answer answer) {
        if (!answer.seenByUser()) {
            return; // feedback is about the answer the user got
        }
        synchronized (byId) {
            for (Answer.Served served : answer.predictions()) {
                byId.put(served.predictionId(), new Recent(served.predictionId(), answer.task(), answer.adapterId(),
                        served.text(), served.prediction().label(), answer.labels()));
            }
        }
    }

    public Optional<Recent> find(String predictionId) {
        synchronized (byId) {
            return Optional.ofNullable(byId.get(predictionId));
        }
    }
}
