package dev.quant4j.report;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Argument checks shared by the report records, so a bad figure fails where it is made, not in the browser. */
final class Check {
    private Check() {}

    static String text(String value, String what) {
        return Objects.requireNonNull(value, what + " is null");
    }

    static String optionalText(String value) {
        return value == null ? "" : value;
    }

    static double finite(double value, String what) {
        if (!Double.isFinite(value)) throw new IllegalArgumentException(what + " is not finite: " + value);
        return value;
    }

    /** Optional measurements are null when not measured; when present they must be finite numbers. */
    static Double optionalFinite(Double value, String what) {
        if (value != null) finite(value, what);
        return value;
    }

    /** An SQNR is +infinity when quantization was exact (no noise); it is never NaN or -infinity. */
    static Double optionalSqnr(Double value, String what) {
        if (value != null && !(Double.isFinite(value) || value == Double.POSITIVE_INFINITY))
            throw new IllegalArgumentException(what + " is not a finite number or +infinity: " + value);
        return value;
    }

    static long nonNegative(long value, String what) {
        if (value < 0) throw new IllegalArgumentException(what + " is negative: " + value);
        return value;
    }

    static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    static Map<String, String> map(Map<String, String> values) {
        // Keeps the caller's order (settings read best in the order they were given).
        return values == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }
}
