package dev.quant4j.cli;

import dev.quant4j.eval.MetricResult;
import java.util.Locale;

/** Figures for people: a value with its interval. */
final class Stats {
    private Stats() {}

    static String withInterval(MetricResult m) {
        return Double.isNaN(m.ciLow()) ? String.format(Locale.ROOT, "%.5g (no interval)", m.value())
                : String.format(Locale.ROOT, "%.5g [%.5g, %.5g]", m.value(), m.ciLow(), m.ciHigh());
    }
}
