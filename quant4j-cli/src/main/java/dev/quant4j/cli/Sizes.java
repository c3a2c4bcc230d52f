package dev.quant4j.cli;

import java.util.Locale;

/** Byte counts for people: exact below 10 KB, else in KB/MB/GB (powers of 1000). */
final class Sizes {
    private Sizes() {}

    static String bytes(long n) {
        if (n < 10_000) return n + " B";
        String[] unit = {"KB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < unit.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, unit[u]);
    }
}
