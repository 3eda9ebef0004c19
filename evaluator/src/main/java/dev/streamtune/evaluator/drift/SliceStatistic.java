package dev.streamtune.evaluator.drift;

import java.util.Optional;

/**
 * Another statistic restricted to the items of one slice ({@code slice.<attribute>=<value>.<test>}), so a shift in
 * one locale or source is not averaged away by the others.
 */
public final class SliceStatistic implements DriftStatistic {

    private final DriftStatistic inner;
    private final String attribute;
    private final String value;

    public SliceStatistic(DriftStatistic inner, String attribute, String value) {
        this.inner = inner;
        this.attribute = attribute;
        this.value = value;
    }

    public static String name(String attribute, String value, String test) {
        return "slice." + attribute + "=" + value + "." + test;
    }

    @Override
    public String name() {
        return name(attribute, value, inner.name());
    }

    @Override
    public Optional<Prepared> prepare(PooledSample pooled) {
        int[] members = pooled.indicesWhere(item -> value.equals(item.attributes().get(attribute)));
        return inner.prepare(pooled.subset(members)).map(prepared -> new Prepared() {
            @Override
            public double value(boolean[] current) {
                return prepared.value(restrict(current));
            }

            @Override
            public String evidence(boolean[] current) {
                return prepared.evidence(restrict(current));
            }

            private boolean[] restrict(boolean[] current) {
                boolean[] sub = new boolean[members.length];
                for (int j = 0; j < members.length; j++) {
                    sub[j] = current[members[j]];
                }
                return sub;
            }
        });
    }
}
