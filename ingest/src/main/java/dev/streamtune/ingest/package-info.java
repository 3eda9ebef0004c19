/**
 * The ingest service: a Kafka Streams application that turns raw labelled examples and production feedback into
 * clean, de-duplicated, split and windowed training data.
 *
 * <p>{@link dev.streamtune.ingest.IngestTopology} is the whole pipeline and reads top to bottom like the data flow;
 * each step is a small processor in its own package ({@code validate}, {@code clean}, {@code dedupe}, {@code split},
 * {@code window}) with its rules in plain classes tested without a broker. {@link dev.streamtune.ingest.IngestService}
 * runs it inside Micronaut (health, Prometheus) and follows the task catalogue, whose current definitions give each
 * task's rules per record; {@code config} holds the typed configuration and those rules. See the module README.
 */
package dev.streamtune.ingest;
