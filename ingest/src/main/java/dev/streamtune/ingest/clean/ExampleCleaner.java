package dev.streamtune.ingest.clean;

import static dev.streamtune.contract.ReasonCode.TEXT_TOO_LONG;
import static dev.streamtune.contract.ReasonCode.TEXT_TOO_SHORT;

import dev.streamtune.contract.TextTruncation;
import dev.streamtune.ingest.CleanedExample;
import dev.streamtune.ingest.InvalidRecordException;
import dev.streamtune.ingest.ValidExample;
import dev.streamtune.ingest.config.TaskRules;

/**
 * The cleaning rules: normalise the text, mask the personal data the task asks to mask, check the cleaned length
 * (in code points) against the task's text policy, cut a long text the way the policy says ({@link TextTruncation},
 * the rule serving applies to requests too), and hash. Only text that is empty or too short after cleaning is
 * rejected, and long text only when the policy says REJECT. Not thread-safe (holds a digest).
 */
public final class ExampleCleaner {

    private final ContentHasher hasher = new ContentHasher();

    /** @throws InvalidRecordException TEXT_TOO_SHORT, or TEXT_TOO_LONG when the task's policy rejects long text */
    public CleanedExample clean(ValidExample example, TaskRules rules) {
        // Mask first, cut afterwards: a cut through "jane.doe@example.com" or a phone number would leave a fragment
        // the masker no longer recognises (too few digits, no domain), and it would reach the topic in clear. Masked
        // first, whatever is kept is already safe; a placeholder is at worst cut itself ("[EMA"), revealing nothing.
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
        // The hash is of the whole cleaned text, not of what is kept: the same text keeps its split (and is still
        // a duplicate of itself) when the task's max-chars changes, so no text moves from test to train.
        String contentHash = hasher.hash(example.task(), text);
        boolean truncated = false;
        if (length > rules.maxChars()) {
            TextTruncation.Outcome cut = TextTruncation.apply(text, rules.textPolicy());
            if (cut.rejected()) {
                throw new InvalidRecordException(TEXT_TOO_LONG, "cleaned text has " + length + " characters; task '"
                        + rules.task() + "' accepts at most " + rules.maxChars() + " (its text policy rejects longer"
                        + " text)");
            }
            text = cut.text();
            truncated = cut.truncated();
        }
        return new CleanedExample(example.id(), example.task(), text, example.label(), example.source(),
                example.origin(), example.eventTime(), example.attributes(), example.weight(), contentHash,
                truncated, null);
    }
}
