package dev.streamtune.serving.adapter;

import dev.streamtune.model.AdapterLoadException;
import dev.streamtune.model.TextPredictor;
import dev.streamtune.schema.Deployment;

/** Turns a deployment into a warmed-up model on the process's base model. */
public interface AdapterLoader {

    /**
     * Fetches, verifies, loads and warms the deployment's adapter. Slow (file I/O, native allocation, a few
     * forward passes): the registry calls it on its background thread.
     *
     * @throws AdapterLoadException when the artifact is missing, corrupt, fails its checksum or was trained on
     *                              another base model
     */
    TextPredictor load(Deployment deployment) throws AdapterLoadException;

    /** The base model every adapter is loaded onto. */
    String baseModelId();

    String baseModelChecksum();
}
