package dev.quant4j.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reductions over scattered axes of large tensors and Softmax along inner axes with threads,
 * against float64 references written here (element by element from the definitions), plus the
 * edge cases the backend tests skip: empty axes with and without noop, zero-length axes, ties.
 */
class ReduceSoftmaxTest {
    static final double TOL = 1e-6;
    final Random r = new Random(5);

    @Test
    void everyReductionOverScatteredAxesMatchesFloat64() {
        long[] shape = {3, 17, 5, 2, 29};
        Tensor x = MathOpsTest.scaled(r, 1.5f, 0.2f, shape);
        long[][] axesSets = {{0, 2, 4}, {1, 3}, {-1}, {0}, {}};
        for (Reduction.Kind k : Reduction.Kind.values()) {
            for (long[] axes : axesSets) {
                for (boolean keep : new boolean[] {true, false}) {
                    Tensor in = k == Reduction.Kind.LOG_SUM || k == Reduction.Kind.PROD ? MathOpsTest.scaled(r, 0.1f, 1f, shape) : x;
                    Tensor got = ReduceOps.reduce(k, in, axes, keep, false);
                    Tensor want = reference(k, in, axes, keep);
                    NodeCheck.assertClose(k + java.util.Arrays.toString(axes) + " keep=" + keep, want, got, TOL);
                }
            }
        }
    }

    /** Each output cell from the definition: visit every input element, test whether it maps to the cell. */
    private static Tensor reference(Reduction.Kind k, Tensor x, long[] axes, boolean keep) {
        long[] s = x.shape();
        int rank = s.length;
        boolean[] red = new boolean[rank];
        for (long a : axes) red[(int) (a < 0 ? a + rank : a)] = true;
        if (axes.length == 0) java.util.Arrays.fill(red, true);
        int n = Math.toIntExact(x.elementCount());
        // Output index of each input element with reduced coordinates dropped.
        java.util.List<Long> os = new java.util.ArrayList<>();
        for (int i = 0; i < rank; i++) if (!red[i]) os.add(s[i]); else if (keep) os.add(1L);
        long[] outShape = os.stream().mapToLong(Long::longValue).toArray();
        int m = Math.toIntExact(Tensor.elementCount(outShape));
        double[][] groups = new double[m][];
        int[] fill = new int[m];
        int count = n / m;
        for (int j = 0; j < m; j++) groups[j] = new double[count];
        for (int i = 0; i < n; i++) {
            long rem = i, out = 0, mul = 1;
            for (int d = rank - 1; d >= 0; d--) {
                long c = rem % s[d];
                rem /= s[d];
                if (!red[d]) { out += c * mul; mul *= s[d]; }
            }
            groups[(int) out][fill[(int) out]++] = x.getDouble(i);
        }
        float[] y = new float[m];
        for (int j = 0; j < m; j++) {
            double[] g = groups[j];
            double v = switch (k) {
                case SUM -> java.util.Arrays.stream(g).sum();
                case MEAN -> java.util.Arrays.stream(g).average().orElseThrow();
                case MAX -> java.util.Arrays.stream(g).max().orElseThrow();
                case MIN -> java.util.Arrays.stream(g).min().orElseThrow();
                case PROD -> java.util.Arrays.stream(g).reduce(1, (a, b) -> a * b);
                case L1 -> java.util.Arrays.stream(g).map(Math::abs).sum();
                case L2 -> Math.sqrt(java.util.Arrays.stream(g).map(e -> e * e).sum());
                case SUM_SQUARE -> java.util.Arrays.stream(g).map(e -> e * e).sum();
                case LOG_SUM -> Math.log(java.util.Arrays.stream(g).sum());
                case LOG_SUM_EXP -> Math.log(java.util.Arrays.stream(g).map(Math::exp).sum());
            };
            y[j] = (float) v;
        }
        return Tensor.of(y, outShape);
    }

    @Test
    void emptyAxesReduceEverythingUnlessNoop() {
        Tensor x = NodeCheck.random(r, 4, 6);
        NodeCheck all = new NodeCheck("ReduceSum").opset(13).feed("x", x).constant("axes", Tensor.ofLongs(new long[0], 0)).outputs("y");
        Tensor y = all.runQuant4j(1).get(0);
        assertArrayEquals(new long[] {1, 1}, y.shape());
        double sum = 0;
        for (float v : x.floats()) sum += v;
        assertEquals(sum, y.getDouble(0), 1e-5);
        assertSame(x, ReduceOps.reduce(Reduction.Kind.SUM, x, new long[0], true, true));
        NodeCheck noop = new NodeCheck("ReduceMax").opset(18).feed("x", x).attr("noop_with_empty_axes", 1).outputs("y");
        assertArrayEquals(x.floats(), noop.runQuant4j(1).get(0).floats());
    }

    @Test
    void zeroLengthAxisGivesTheIdentityOfEachReduction() {
        Tensor x = Tensor.of(new float[0], 3, 0, 2);
        assertArrayEquals(new float[6], ReduceOps.reduce(Reduction.Kind.SUM, x, new long[] {1}, false, false).floats());
        Tensor p = ReduceOps.reduce(Reduction.Kind.PROD, x, new long[] {1}, true, false);
        assertArrayEquals(new long[] {3, 1, 2}, p.shape());
        for (float v : p.floats()) assertEquals(1f, v);
        for (float v : ReduceOps.reduce(Reduction.Kind.MAX, x, new long[] {1}, false, false).floats()) assertEquals(Float.NEGATIVE_INFINITY, v);
    }

    @Test
    void integerReductionsKeepTheirType() {
        Tensor x = Tensor.ofInts(new int[] {5, -3, 7, 1, 2, -8}, 2, 3);
        Tensor s = ReduceOps.reduce(Reduction.Kind.SUM, x, new long[] {1}, false, false);
        assertEquals(DataType.INT32, s.dtype());
        assertArrayEquals(new int[] {9, -5}, s.ints());
        assertArrayEquals(new int[] {5, 2, 7}, ReduceOps.reduce(Reduction.Kind.MAX, x, new long[] {0}, false, false).ints());
    }

    @Test
    void argMaxAndArgMinPickFirstOrLastTie() {
        float[] v = {1, 3, 3, 0, 0, 3, -1, -1, 2, -1, 2, 2};
        Tensor x = Tensor.of(v, 2, 6);
        assertArrayEquals(new long[] {1, 2}, ReduceOps.arg(x, 1, false, false, true).longs());
        assertArrayEquals(new long[] {5, 5}, ReduceOps.arg(x, 1, false, true, true).longs());
        assertArrayEquals(new long[] {4, 3}, ReduceOps.arg(x, -1, false, true, false).longs());
        assertArrayEquals(new long[] {2, 1}, ReduceOps.arg(x, 1, true, false, true).shape());
    }

    @Test
    void softmaxFamilyAlongInnerAxesWithThreadsMatchesFloat64() {
        long[] shape = {3, 401, 37};
        Tensor x = MathOpsTest.scaled(r, 20, 0, shape);
        for (SoftmaxOps.Kind k : SoftmaxOps.Kind.values()) {
            for (int axis : new int[] {1, 2, 0}) {
                Tensor got = SoftmaxOps.apply(k, x, axis, false, 2);
                NodeCheck.assertClose(k + " axis " + axis, softmaxReference(k, x, axis, false), got, TOL);
            }
            // Before opset 13: normalised over the flattened [axis, rank) block.
            NodeCheck.assertClose(k + " 2-D", softmaxReference(k, x, 1, true), SoftmaxOps.apply(k, x, 1, true, 2), TOL);
        }
    }

    @Test
    void softmaxMatchesOnnxRuntimeInBothOpsetForms() throws Exception {
        Tensor x = MathOpsTest.scaled(r, 8, 0, 2, 12, 64, 64);
        new NodeCheck("Softmax").opset(13).feed("x", x).outputs("y").assertMatchesOrt(2, TOL);
        new NodeCheck("LogSoftmax").opset(11).attr("axis", 2).feed("x", x).outputs("y").assertMatchesOrt(2, TOL);
        new NodeCheck("ReduceMean").opset(13).ints("axes", -1).feed("x", x).outputs("y").assertMatchesOrt(1, TOL);
        new NodeCheck("ReduceLogSumExp").opset(18).feed("x", x).constant("axes", Tensor.ofLongs(new long[] {1, 3}, 2)).outputs("y").assertMatchesOrt(1, TOL);
    }

    private static Tensor softmaxReference(SoftmaxOps.Kind k, Tensor x, int axis, boolean coerce) {
        long[] s = x.shape();
        int outer = 1, len = 1, inner = 1;
        for (int i = 0; i < s.length; i++) {
            if (i < axis) outer *= (int) s[i];
            else if (i == axis || coerce) len *= (int) s[i];
            else inner *= (int) s[i];
        }
        float[] v = x.floats(), y = new float[v.length];
        for (int o = 0; o < outer; o++) {
            for (int q = 0; q < inner; q++) {
                double sum = 0;
                int best = 0;
                for (int i = 0; i < len; i++) {
                    sum += Math.exp(v[(o * len + i) * inner + q]);
                    if (v[(o * len + i) * inner + q] > v[(o * len + best) * inner + q]) best = i;
                }
                for (int i = 0; i < len; i++) {
                    int at = (o * len + i) * inner + q;
                    y[at] = (float) switch (k) {
                        case SOFTMAX -> Math.exp(v[at]) / sum;
                        case LOG_SOFTMAX -> v[at] - Math.log(sum);
                        case HARDMAX -> i == best ? 1 : 0;
                    };
                }
            }
        }
        return Tensor.of(y, s);
    }
}
