package dev.streamtune.model;

/** The bundled MiniLM, loaded once per test JVM and shared by the test classes (it is never modified). */
final class TestModels {

    private static BaseModel miniLm;

    private TestModels() {}

    static synchronized BaseModel miniLm() {
        if (miniLm == null) {
            miniLm = BuiltInModels.miniLm();
        }
        return miniLm;
    }
}
