package dev.streamtune.model;

/** The adapter is intact but was trained on other base weights than the ones it is being loaded onto. */
public class BaseModelMismatchException extends AdapterLoadException {

    public BaseModelMismatchException(String message) {
        super(message);
    }
}
