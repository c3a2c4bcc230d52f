package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Einsum over any equation ONNX allows: explicit or implicit output, repeated labels within an
 * operand (diagonals), and "..." for broadcast leading dimensions. Labels are numbered: letters
 * 0–51, the ellipsis dimensions from 52 on, aligned to the right across operands as numpy does.
 *
 * <pre>
 *   "bij,bjk->bik"   output labels b i k, summed label j
 *   every (b, i, k, j) is visited once; each operand's offset is Σ label index × its stride in
 *   that operand (a label it lacks has stride 0; a repeated label adds its strides)
 * </pre>
 *
 * It is a direct contraction, accumulated in double (long for integers): right for every
 * equation, fast only for small ones — no GEMM path yet.
 */
final class EinsumOps {
    private EinsumOps() {}

    private static final int ELLIPSIS = 52;

    static void register(OpRegistry r) {
        r.register("Einsum", EinsumOps::einsum);
    }

    private static Op einsum(NodeSetup s) {
        String eq = s.attributes().getString("equation", null);
        if (eq == null) throw s.error("missing the equation attribute");
        String clean = eq.replace(" ", "");
        return (in, ctx) -> new Tensor[] {einsum(clean, in)};
    }

    static Tensor einsum(String eq, Tensor[] in) {
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        String[] terms = lhs.split(",", -1);
        if (terms.length != in.length) throw new IllegalArgumentException("equation '" + eq + "' has " + terms.length + " operands, node has " + in.length);
        for (Tensor t : in) Numeric.requireSameType(in[0], t);
        Numeric.requireNumeric(in[0]);
        int ellRank = 0;
        int[][] labels = new int[in.length][];
        for (int k = 0; k < in.length; k++) {
            labels[k] = parse(terms[k], in[k].rank(), -1);
            for (int l : labels[k]) if (l >= ELLIPSIS) ellRank = Math.max(ellRank, in[k].rank() - letters(terms[k]));
        }
        // Re-parse so that each operand's ellipsis aligns to the right of the widest one.
        for (int k = 0; k < in.length; k++) labels[k] = parse(terms[k], in[k].rank(), ellRank);
        long[] size = new long[ELLIPSIS + ellRank];
        Arrays.fill(size, -1);
        for (int k = 0; k < in.length; k++) {
            long[] sh = in[k].shape();
            for (int d = 0; d < sh.length; d++) {
                int l = labels[k][d];
                if (size[l] == -1 || size[l] == 1) size[l] = sh[d];
                else if (sh[d] != size[l] && sh[d] != 1)
                    throw new IllegalArgumentException("label '" + name(l) + "' is " + size[l] + " and " + sh[d] + " in '" + eq + "'");
            }
        }
        int[] out = arrow < 0 ? implicitOutput(labels, ellRank) : parse(eq.substring(arrow + 2), -1, ellRank);
        List<Integer> all = new ArrayList<>();
        for (int l : out) {
            if (size[l] == -1) throw new IllegalArgumentException("output label '" + name(l) + "' is on no input of '" + eq + "'");
            if (all.contains(l)) throw new IllegalArgumentException("output label '" + name(l) + "' repeats in '" + eq + "'");
            all.add(l);
        }
        for (int l = 0; l < size.length; l++) if (size[l] != -1 && !all.contains(l)) all.add(l);
        int nl = all.size();
        int[] dims = new int[nl];
        long[][] stride = new long[in.length][nl];
        for (int j = 0; j < nl; j++) dims[j] = Math.toIntExact(size[all.get(j)]);
        for (int k = 0; k < in.length; k++) {
            long[] sh = in[k].shape();
            long st = 1;
            for (int d = sh.length - 1; d >= 0; d--) {
                if (sh[d] != 1) stride[k][all.indexOf(labels[k][d])] += st; // a broadcast 1 keeps stride 0
                st *= sh[d];
            }
        }
        long[] outShape = new long[out.length];
        for (int j = 0; j < out.length; j++) outShape[j] = dims[j];
        return contract(in, dims, stride, out.length, outShape);
    }

    /** Visits every label combination; the first {@code nOut} labels index the output, row-major. */
    private static Tensor contract(Tensor[] in, int[] dims, long[][] stride, int nOut, long[] outShape) {
        boolean fp = in[0].dtype().isFloatingPoint();
        int k = in.length, nl = dims.length;
        double[][] xd = new double[k][];
        long[][] xl = new long[k][];
        for (int i = 0; i < k; i++) { if (fp) xd[i] = Numeric.doubles(in[i]); else xl[i] = in[i].toLongs(); }
        int outSize = Math.toIntExact(Tensor.elementCount(outShape));
        long inner = 1;
        for (int j = nOut; j < nl; j++) inner *= dims[j];
        long total = outSize * inner;
        double[] od = fp ? new double[outSize] : null;
        long[] ol = fp ? null : new long[outSize];
        int[] idx = new int[nl];
        long[] off = new long[k];
        for (long step = 0; step < total; step++) {
            int o = (int) (step / inner);
            if (fp) {
                double p = 1;
                for (int i = 0; i < k; i++) p *= xd[i][(int) off[i]];
                od[o] += p;
            } else {
                long p = 1;
                for (int i = 0; i < k; i++) p *= xl[i][(int) off[i]];
                ol[o] += p;
            }
            for (int j = nl - 1; j >= 0; j--) {
                for (int i = 0; i < k; i++) off[i] += stride[i][j];
                if (++idx[j] < dims[j]) break;
                for (int i = 0; i < k; i++) off[i] -= stride[i][j] * dims[j];
                idx[j] = 0;
            }
        }
        return fp ? Numeric.ofDoubles(in[0].dtype(), od, outShape) : Numeric.ofLongs(in[0].dtype(), ol, outShape);
    }

    /** Labels of one term; {@code ellRank} −1 sizes the ellipsis from {@code rank} alone. */
    private static int[] parse(String term, int rank, int ellRank) {
        int letters = letters(term);
        boolean hasEll = term.contains("...");
        if (hasEll && term.indexOf("...") != term.lastIndexOf("...")) throw new IllegalArgumentException("two ellipses in '" + term + "'");
        int e = hasEll ? (rank >= 0 ? rank - letters : ellRank) : 0;
        if (rank >= 0 && (e < 0 || (!hasEll && letters != rank)))
            throw new IllegalArgumentException("term '" + term + "' does not fit an operand of rank " + rank);
        int total = ellRank < 0 ? e : Math.max(ellRank, e);
        int[] out = new int[letters + e];
        int n = 0;
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            if (c == '.') {
                for (int d = 0; d < e; d++) out[n++] = ELLIPSIS + total - e + d;
                i += 2;
            } else if (c >= 'a' && c <= 'z') out[n++] = c - 'a';
            else if (c >= 'A' && c <= 'Z') out[n++] = 26 + c - 'A';
            else throw new IllegalArgumentException("bad character '" + c + "' in '" + term + "'");
        }
        return out;
    }

    private static int letters(String term) {
        int n = 0;
        for (int i = 0; i < term.length(); i++) if (Character.isLetter(term.charAt(i))) n++;
        return n;
    }

    /** No "->": the ellipsis dimensions, then the letters used exactly once, in alphabetical order. */
    private static int[] implicitOutput(int[][] labels, int ellRank) {
        int[] count = new int[ELLIPSIS];
        for (int[] ls : labels) for (int l : ls) if (l < ELLIPSIS) count[l]++;
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < ellRank; d++) out.add(ELLIPSIS + d);
        for (int l = 0; l < ELLIPSIS; l++) if (count[l] == 1) out.add(l);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String name(int l) {
        return l < 26 ? String.valueOf((char) ('a' + l)) : l < ELLIPSIS ? String.valueOf((char) ('A' + l - 26)) : "...";
    }
}
