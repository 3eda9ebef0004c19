package dev.streamtune.evaluator.gate;

/** One rule of the policy applied to one report: whether it held, and the numbers that decided it. */
public record GateCheck(String rule, boolean passed, String detail) {

    @Override
    public String toString() {
        return (passed ? "PASS " : "FAIL ") + rule + ": " + detail;
    }
}
