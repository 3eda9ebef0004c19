package dev.streamtune.trainer.catalogue;

import java.util.List;

/**
 * What the next candidate of a task starts from, given the labels of the approved adapter (its head, in logit
 * order) and the task's labels in the catalogue. Labels are append-only, so the approved head is a prefix of the
 * catalogue's: kept as it is, or grown by the appended labels. Anything else cannot come from the catalogue (it
 * refuses such a change) and is refused rather than trained over.
 */
public sealed interface HeadCarryOver {

    /** No approved adapter: a fresh one. */
    record Fresh() implements HeadCarryOver {
    }

    /** The approved adapter as it is: same labels. */
    record Keep() implements HeadCarryOver {
    }

    /** The approved adapter with its head grown by {@code added} (appended in this order). */
    record Grow(List<String> added) implements HeadCarryOver {
    }

    /** The approved adapter does not fit the task's labels: do not train this round. */
    record Refuse(String reason) implements HeadCarryOver {
    }

    /** @param approved the approved adapter's labels, or null when there is none */
    static HeadCarryOver decide(List<String> approved, List<String> catalogue) {
        if (approved == null) {
            return new Fresh();
        }
        if (approved.equals(catalogue)) {
            return new Keep();
        }
        if (approved.size() < catalogue.size() && catalogue.subList(0, approved.size()).equals(approved)) {
            return new Grow(List.copyOf(catalogue.subList(approved.size(), catalogue.size())));
        }
        return new Refuse("the approved adapter's labels " + approved + " are not a prefix of the task's labels "
                + catalogue + " (a label's head row never changes); not training over it");
    }
}
