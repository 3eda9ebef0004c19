package dev.streamtune.ingest.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/** {@code kafka.bootstrap-servers}, from {@code KAFKA_BOOTSTRAP_SERVERS} in {@code application.yml}. */
@ConfigurationProperties("kafka")
public record KafkaConfig(@Bindable(defaultValue = "127.0.0.1:9092") String bootstrapServers) {
}
