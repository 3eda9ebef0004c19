package dev.streamtune.bench;

import java.util.List;

/**
 * One window of a benchmark stream, as the bench sends it: what it introduces and its labelled examples, shuffled.
 * Both streams produce these; the driver ({@link StreamBench}) knows nothing else about a dataset.
 *
 * @param index    0-based position in the stream
 * @param name     what the window is, for logs and tables ("animal, plant"; "easy-ham-1 + spam-1")
 * @param labels   the labels its examples carry (a class-incremental window's new categories; a
 *                 domain-incremental window's whole label set)
 * @param examples its examples, in the order they are sent
 */
public record StreamWindow(int index, String name, List<String> labels, List<Example> examples) {

    /** One labelled example, as a producer would send it. */
    public record Example(String id, String text, String label) {
    }
}
