/** The serving tier's Kafka clients: topic followers without consumer groups, and its one producer. */
package dev.streamtune.serving.kafka;
