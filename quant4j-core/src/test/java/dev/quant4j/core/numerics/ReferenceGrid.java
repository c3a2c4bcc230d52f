package dev.quant4j.core.numerics;

import java.util.Arrays;

/**
 * Test oracle: the non-negative finite values of a sign-magnitude float format, computed in float64
 * from the format's definition, and round-to-nearest-even onto them by brute-force search.
 * The grid is extended by one "virtual" value past the maximum (max plus the spacing at max), so a
 * tie or value near the top can be seen to round beyond the largest finite value.
 */
final class ReferenceGrid {
    final double[] values;   // ascending, values[n-1] is virtual
    final int[] codes;       // magnitude codes (sign bit clear); virtual = maxCode + 1
    final double max;

    /** {@code codes[i]} must be the code of {@code values[i]}; values ascending; both without the virtual value. */
    ReferenceGrid(double[] finiteValues, int[] finiteCodes) {
        int n = finiteValues.length;
        for (int i = 1; i < n; i++) {
            if (!(finiteValues[i] > finiteValues[i - 1])) throw new IllegalStateException("grid not ascending at " + i);
        }
        values = Arrays.copyOf(finiteValues, n + 1);
        codes = Arrays.copyOf(finiteCodes, n + 1);
        max = finiteValues[n - 1];
        values[n] = max + (max - finiteValues[n - 2]);
        codes[n] = finiteCodes[n - 1] + 1;
    }

    /** Result of rounding a magnitude. */
    record Rounded(int code, boolean overflow) {}

    /** Rounds |a| (a finite, not negative) to nearest, ties to the even code. */
    Rounded round(double a) {
        int last = values.length - 1;
        if (a >= values[last]) return new Rounded(-1, true);
        int lo = 0, hi = last; // values[lo] <= a < values[hi]
        if (a < values[0]) throw new IllegalStateException("negative");
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] <= a) lo = mid; else hi = mid;
        }
        double dLo = a - values[lo], dHi = values[hi] - a;
        int pick;
        if (dLo < dHi) pick = lo;
        else if (dHi < dLo) pick = hi;
        else pick = (codes[lo] & 1) == 0 ? lo : hi;
        return new Rounded(codes[pick], pick == last);
    }

    /** All midpoints between neighbours, and the grid values themselves, as doubles. */
    double[] interestingMagnitudes() {
        double[] out = new double[values.length * 2 - 1];
        for (int i = 0; i < values.length; i++) {
            out[2 * i] = values[i];
            if (i + 1 < values.length) out[2 * i + 1] = (values[i] + values[i + 1]) / 2;
        }
        return out;
    }
}
