package dev.streamtune.deploy;

import java.util.Locale;

/** Byte counts written as Kubernetes quantities (512Mi, 2Gi, 1G) or JVM sizes (768m, 3g). */
public final class MemorySize {

    private MemorySize() {
    }

    /** A Kubernetes memory quantity in bytes. */
    public static long kubernetes(String quantity) {
        String q = quantity.trim();
        String[][] suffixes = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
                {"k", "1000"}, {"M", "1000000"}, {"G", "1000000000"}, {"T", "1000000000000"}};
        for (String[] suffix : suffixes) {
            if (q.endsWith(suffix[0])) {
                return Math.round(Double.parseDouble(q.substring(0, q.length() - suffix[0].length()))
                        * Long.parseLong(suffix[1]));
            }
        }
        return Long.parseLong(q);
    }

    /** A JVM -Xmx size in bytes (k, m, g are powers of 1024). */
    public static long jvm(String size) {
        String s = size.trim().toLowerCase(Locale.ROOT);
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'k' -> 1024L;
            case 'm' -> 1024L * 1024;
            case 'g' -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        return Long.parseLong(digits) * unit;
    }
}
