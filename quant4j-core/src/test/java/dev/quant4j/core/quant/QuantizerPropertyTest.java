package dev.quant4j.core.quant;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.core.DataType;
import java.util.Arrays;
import net.jqwik.api.*;
import net.jqwik.api.constraints.*;

/** The quantization properties the foundation issue asks for, over random specs, ranges and values. */
class QuantizerPropertyTest {

    @Provide
    Arbitrary<QuantSpec> specs() {
        Arbitrary<DataType> types = Arbitraries.of(DataType.INT4, DataType.UINT4, DataType.INT8, DataType.UINT8, DataType.INT16);
        return Combinators.combine(types, Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((t, sym, narrow, reduced) -> new QuantSpec(t, sym, narrow, reduced && t.bits() >= 8));
    }

    @Provide
    Arbitrary<double[]> ranges() {
        Arbitrary<Double> mag = Arbitraries.doubles().between(-9.2, 9.2).ofScale(6).map(Math::exp);   // 1e-4 .. 1e4
        Arbitrary<Double> frac = Arbitraries.doubles().between(-1, 1).ofScale(6);
        return Combinators.combine(mag, frac, frac).as((m, a, b) -> new double[] {m * Math.min(a, b), m * Math.max(a, b)});
    }

    static float fq(float x, QuantParams p) {
        return Quantizer.dequantize(Quantizer.quantize(x, p.scale(0), p.zeroPoint(0), p.spec().qmin(), p.spec().qmax()), p.scale(0), p.zeroPoint(0));
    }

    /** Bound for float32 arithmetic on top of the ideal s/2: the division and the product each round. */
    static double slack(float x, float s) {
        return Math.abs(x) * 0x1p-22 + s * 1e-6;
    }

    @Property(tries = 400)
    void roundTripErrorIsAtMostHalfAScaleInsideTheRange(@ForAll("specs") QuantSpec spec, @ForAll("ranges") double[] r,
                                                         @ForAll @DoubleRange(min = 0, max = 1) double t) {
        QuantParams p = ParamsFromRange.perTensor(spec, r[0], r[1]);
        double lo = Math.min(r[0], 0), hi = Math.max(r[1], 0);
        if (spec.symmetric()) { double a = Math.max(-lo, hi); lo = -a; hi = a; }
        float x = (float) (lo + t * (hi - lo));
        float s = p.scale(0);
        assertTrue(Math.abs(x - fq(x, p)) <= s / 2.0 + slack(x, s),
                () -> "x=" + x + " fq=" + fq(x, p) + " scale=" + s + " " + p);
    }

    @Property(tries = 400)
    void valuesOutsideTheRangeSaturate(@ForAll("specs") QuantSpec spec, @ForAll("ranges") double[] r,
                                       @ForAll @DoubleRange(min = 1, max = 1e6) double beyond) {
        QuantParams p = ParamsFromRange.perTensor(spec, r[0], r[1]);
        float s = p.scale(0);
        int z = p.zeroPoint(0);
        // Beyond the representable range [(qmin - z) s, (qmax - z) s] by at least one step.
        float above = (float) ((spec.qmax() - z + beyond) * s), below = (float) ((spec.qmin() - z - beyond) * s);
        assertEquals(spec.qmax(), Quantizer.quantize(above, s, p.zeroPoint(0), spec.qmin(), spec.qmax()));
        assertEquals(spec.qmin(), Quantizer.quantize(below, s, p.zeroPoint(0), spec.qmin(), spec.qmax()));
    }

    @Property(tries = 400)
    void zeroIsExactlyRepresentable(@ForAll("specs") QuantSpec spec, @ForAll("ranges") double[] r) {
        QuantParams p = ParamsFromRange.perTensor(spec, r[0], r[1]);
        assertEquals(0f, fq(0f, p));
        assertEquals(0f, fq(-0f, p));
    }

    @Property(tries = 400)
    void symmetricSchemesAreOddFunctions(@ForAll("specs") QuantSpec spec, @ForAll("ranges") double[] r,
                                         @ForAll @DoubleRange(min = -2, max = 2) double t) {
        QuantSpec sym = new QuantSpec(spec.type(), true, spec.narrowRange(), spec.reducedRange());
        QuantParams p = ParamsFromRange.perTensor(sym, r[0], r[1]);
        float s = p.scale(0);
        int z = p.zeroPoint(0);
        float x = (float) (t * (sym.qmax() - z) * s);
        // Narrow range is odd everywhere; full range has one extra negative code, so only where the
        // positive side has not saturated.
        if (!sym.narrowRange() && Math.abs(x) > (sym.qmax() - z) * (double) s) return;
        assertTrue(-fq(x, p) == fq(-x, p), () -> "x=" + x + " " + p);  // == so that -0 equals 0
    }

    /** Per-element reference: unravel the index, find the parameter by coordinates. */
    static int referenceParamIndex(int flat, long[] shape, QuantParams p) {
        if (p.granularity() == Granularity.PER_TENSOR) return 0;
        int axis = ParamLayout.resolveAxis(p.axis(), shape.length);
        long[] coord = new long[shape.length];
        for (int k = shape.length - 1, rest = flat; k >= 0; k--) { coord[k] = rest % shape[k]; rest /= (int) shape[k]; }
        if (p.granularity() == Granularity.PER_CHANNEL) return (int) coord[axis];
        long[] pshape = shape.clone();
        pshape[axis] = shape[axis] / p.blockSize();
        coord[axis] /= p.blockSize();
        long idx = 0;
        for (int k = 0; k < shape.length; k++) idx = idx * pshape[k] + coord[k];
        return (int) idx;
    }

    @Property(tries = 200)
    void channelAndBlockLayoutsMatchACoordinateReference(@ForAll @IntRange(min = 1, max = 4) int rank,
                                                         @ForAll @IntRange(min = 0, max = 3) int axisSeed,
                                                         @ForAll @IntRange(min = 1, max = 3) int blockSize,
                                                         @ForAll boolean blocked, @ForAll long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        long[] shape = new long[rank];
        int axis = axisSeed % rank;
        for (int k = 0; k < rank; k++) shape[k] = 1 + rnd.nextInt(4);
        if (blocked) shape[axis] = (long) blockSize * (1 + rnd.nextInt(3));
        int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        int nParams = blocked ? n / blockSize : (int) shape[axis];
        float[] scales = new float[nParams];
        int[] zps = new int[nParams];
        for (int i = 0; i < nParams; i++) { scales[i] = 0.01f + rnd.nextFloat(); zps[i] = rnd.nextInt(-20, 20); }
        QuantSpec spec = QuantSpec.affine(DataType.INT8);
        int axisArg = rnd.nextBoolean() ? axis : axis - rank;   // negative axes count from the end
        QuantParams p = blocked ? QuantParams.perBlock(spec, axisArg, blockSize, scales, zps)
                : QuantParams.perChannel(spec, axisArg, scales, zps);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian() * 3;
        int[] q = Quantizer.quantize(x, shape, p);
        float[] d = Quantizer.dequantize(q, shape, p);
        for (int i = 0; i < n; i++) {
            int pi = referenceParamIndex(i, shape, p);
            assertEquals(Quantizer.quantize(x[i], scales[pi], zps[pi], -128, 127), q[i], "element " + i);
            assertEquals((q[i] - zps[pi]) * scales[pi], d[i], "element " + i);
        }
    }

    @Property(tries = 200)
    void weightParamsFromDataKeepEveryElementWithinHalfAScale(@ForAll("specs") QuantSpec spec, @ForAll long seed,
                                                             @ForAll @IntRange(min = 1, max = 4) int blockSize) {
        java.util.Random rnd = new java.util.Random(seed);
        long[] shape = {3, 4L * blockSize};
        float[] x = new float[(int) (shape[0] * shape[1])];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextGaussian()));
        for (Granularity g : Granularity.values()) {
            QuantParams p = ParamsFromRange.fromData(spec, x, shape, g, 1, g == Granularity.PER_BLOCK ? blockSize : 0);
            float[] fq = Quantizer.fakeQuantize(x, shape, p);
            for (int i = 0; i < x.length; i++) {
                float s = p.scale(referenceParamIndex(i, shape, p));
                assertTrue(Math.abs(x[i] - fq[i]) <= s / 2.0 + slack(x[i], s), g + " element " + i);
            }
        }
    }
}
