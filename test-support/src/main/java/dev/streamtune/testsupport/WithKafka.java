package dev.streamtune.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class a real Kafka broker: declare a {@link KafkaBroker} parameter on a test, constructor or
 * {@code @BeforeAll} method. One broker serves every test class of the JVM; tests keep apart by topic names.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KafkaBrokerExtension.class)
public @interface WithKafka {
}
