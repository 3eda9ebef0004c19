package dev.streamtune.contract;

import java.time.Duration;

import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The thread a service's hand-built consumer loop runs on, and the one way to stop it: clear the flag, wake the
 * consumer out of {@code poll()} (not {@code interrupt()}: the consumer must still close cleanly), then wait.
 */
public final class ConsumerLoop {

    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<?, ?> consumer;

    /** @param daemon true for loops that must not keep the JVM alive on their own */
    public ConsumerLoop(String name, Runnable body, boolean daemon) {
        this.thread = new Thread(body, name);
        thread.setDaemon(daemon);
    }

    public void start() {
        thread.start();
    }

    /** The loop's condition: false once {@link #stop} was called. */
    public boolean running() {
        return running;
    }

    public boolean alive() {
        return thread.isAlive();
    }

    /** Registers the consumer the loop polls, so {@link #stop} can wake it. */
    public void polling(KafkaConsumer<?, ?> polled) {
        this.consumer = polled;
    }

    public void stop(Duration patience) {
        running = false;
        KafkaConsumer<?, ?> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(patience.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
