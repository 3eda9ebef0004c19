/**
 * Typed configuration and the rules derived from the task catalogue: Micronaut binding ({@code IngestConfig})
 * resolved into plain {@code IngestSettings} (pipeline-wide), and per task {@code TaskRules} built from the task's
 * current definition ({@code TaskRulebook} per catalogue snapshot, {@code LiveRulebook} following the catalogue).
 * The topology and its tests use these without Micronaut.
 */
package dev.streamtune.ingest.config;
