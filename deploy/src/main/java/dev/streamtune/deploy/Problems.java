package dev.streamtune.deploy;

import java.util.ArrayList;
import java.util.List;

/** Mismatches found by a check, each saying where (file and key) and what is wrong. */
public final class Problems {

    private final List<String> lines = new ArrayList<>();

    public void add(String where, String what) {
        lines.add(where + ": " + what);
    }

    public void addAll(Problems other) {
        lines.addAll(other.lines);
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** True when some problem line contains every one of the fragments. */
    public boolean mention(String... fragments) {
        return lines.stream().anyMatch(line -> {
            for (String fragment : fragments) {
                if (!line.contains(fragment)) {
                    return false;
                }
            }
            return true;
        });
    }

    @Override
    public String toString() {
        return lines.isEmpty() ? "no problems" : lines.size() + " problem(s):\n  " + String.join("\n  ", lines);
    }
}
