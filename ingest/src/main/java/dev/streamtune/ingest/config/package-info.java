/**
 * Typed configuration: Micronaut binding ({@code IngestConfig}, {@code TaskConfig}, {@code KafkaConfig}) resolved
 * into plain {@code IngestSettings} / {@code TaskRules} that the topology and its tests use.
 */
package dev.streamtune.ingest.config;
