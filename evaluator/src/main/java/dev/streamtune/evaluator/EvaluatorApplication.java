package dev.streamtune.evaluator;

import io.micronaut.runtime.Micronaut;

public final class EvaluatorApplication {
    private EvaluatorApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(EvaluatorApplication.class).banner(false).start();
    }
}
