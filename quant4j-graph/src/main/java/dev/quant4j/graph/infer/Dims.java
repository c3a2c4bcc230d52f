package dev.quant4j.graph.infer;

import dev.quant4j.graph.Dim;
import dev.quant4j.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/** Arithmetic on partly known dimensions and shapes. */
final class Dims {
    private Dims() {}

    /** Numpy-style broadcast of two shapes; null when a rank is unknown. Throws on a definite clash. */
    static Shape broadcast(Shape a, Shape b, InferenceContext ctx) {
        if (a == null || b == null) return null;
        int r = Math.max(a.rank(), b.rank());
        List<Dim> out = new ArrayList<>(r);
        for (int i = 0; i < r; i++) {
            Dim x = i < r - a.rank() ? Dim.of(1) : a.dim(i - (r - a.rank()));
            Dim y = i < r - b.rank() ? Dim.of(1) : b.dim(i - (r - b.rank()));
            out.add(broadcast(x, y, a, b, ctx));
        }
        return new Shape(out);
    }

    private static Dim broadcast(Dim x, Dim y, Shape a, Shape b, InferenceContext ctx) {
        if (x.isKnown() && y.isKnown()) {
            if (x.value() == y.value() || y.value() == 1) return x;
            if (x.value() == 1) return y;
            throw ctx.fail("shapes " + a + " and " + b + " do not broadcast");
        }
        if (x.isKnown()) return x.value() == 1 ? y : x;
        if (y.isKnown()) return y.value() == 1 ? x : y;
        if (x.equals(y)) return x;
        return Dim.UNKNOWN;
    }

    static Dim mul(Dim a, Dim b) {
        if (a.isKnown() && b.isKnown()) return Dim.of(Math.multiplyExact(a.value(), b.value()));
        if (a.isKnown() && a.value() == 1) return b;
        if (b.isKnown() && b.value() == 1) return a;
        return Dim.UNKNOWN;
    }

    static Dim add(Dim a, Dim b) {
        return a.isKnown() && b.isKnown() ? Dim.of(a.value() + b.value()) : Dim.UNKNOWN;
    }

    /** The more specific of two dimensions that must be equal; throws when both are known and differ. */
    static Dim unify(Dim a, Dim b, String what, InferenceContext ctx) {
        if (a.isKnown() && b.isKnown() && a.value() != b.value()) throw ctx.fail(what + ": " + a + " vs " + b);
        if (a.isKnown()) return a;
        if (b.isKnown()) return b;
        return a.isSymbolic() ? a : b;
    }

    static int axis(long axis, int rank, InferenceContext ctx) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw ctx.fail("axis " + axis + " is out of range for rank " + rank);
        return (int) a;
    }

    /** Output size of a sliding window (convolution or pooling) along one axis. */
    static Dim window(Dim in, long kernel, long stride, long dilation, long padBegin, long padEnd, boolean ceil) {
        if (!in.isKnown()) return Dim.UNKNOWN;
        long eff = dilation * (kernel - 1) + 1;
        long span = in.value() + padBegin + padEnd - eff;
        if (span < 0) return Dim.of(0);
        long q = ceil ? Math.ceilDiv(span, stride) : Math.floorDiv(span, stride);
        // With ceil mode the last window must start inside the (left-padded) input.
        if (ceil && q * stride >= in.value() + padBegin) q--;
        return Dim.of(q + 1);
    }
}
