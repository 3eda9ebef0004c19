package dev.streamtune.ingest.validate;

import dev.streamtune.ingest.ValidExample;

/** The validator's verdict on a record that breaks no rule: admitted as an example, or ignored feedback. */
public sealed interface Admission permits Admission.Admitted, Admission.Ignored {

    record Admitted(ValidExample example) implements Admission {
    }

    /** Valid feedback that teaches nothing: no correction, and no rating rule applies. */
    record Ignored(String task, String why) implements Admission {
    }
}
