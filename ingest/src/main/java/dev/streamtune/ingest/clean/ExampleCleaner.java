package dev.streamtune.ingest.clean;

import static dev.streamtune.ingest.ReasonCode.TEXT_TOO_LONG;
import static dev.streamtune.ingest.ReasonCode.TEXT_TOO_SHORT;

import dev.streamtune.ingest.CleanedExample;
import dev.streamtune.ingest.InvalidRecordException;
import dev.streamtune.ingest.ValidExample;
import dev.streamtune.ingest.config.TaskRules;

/**
 * The cleaning rules: normalise the text, mask the personal data the task asks to mask, check the cleaned
 * length (in code points) against the task's bounds, and hash the result. Not thread-safe (holds a digest).
 */
public final class ExampleCleaner {

    private final ContentHasher hasher = new ContentHasher();

    /** @throws InvalidRecordException TEXT_TOO_SHORT or TEXT_TOO_LONG */
    public CleanedExample clean(ValidExample example, TaskRules rules) {
        String text = PiiMasker.mask(TextNormaliser.normalise(example.text()), rules.pii());
        int length = text.codePointCount(0, text.length());
        if (length == 0) {
            // Whatever min-chars says (it may be 0): an example without text teaches nothing.
            throw new InvalidRecordException(TEXT_TOO_SHORT, "nothing is left of the text after cleaning (it held "
                    + "only control, invisible or whitespace characters)");
        }
        if (length < rules.minChars()) {
            throw new InvalidRecordException(TEXT_TOO_SHORT, "cleaned text has " + length + " characters; task '"
                    + rules.task() + "' needs at least " + rules.minChars());
        }
        if (length > rules.maxChars()) {
            throw new InvalidRecordException(TEXT_TOO_LONG, "cleaned text has " + length + " characters; task '"
                    + rules.task() + "' accepts at most " + rules.maxChars());
        }
        return new CleanedExample(example.id(), example.task(), text, example.label(), example.source(),
                example.origin(), example.eventTime(), example.attributes(), example.weight(),
                hasher.hash(example.task(), text), null);
    }
}
