package dev.quant4j.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The shape of a tensor value as far as it is known: a list of {@link Dim}s (the rank is known). */
public record Shape(List<Dim> dims) {
    public Shape {
        dims = List.copyOf(dims);
    }

    public static Shape of(long... dims) {
        List<Dim> d = new ArrayList<>(dims.length);
        for (long v : dims) d.add(v < 0 ? Dim.UNKNOWN : Dim.of(v));
        return new Shape(d);
    }

    public static Shape of(Dim... dims) { return new Shape(Arrays.asList(dims)); }

    /** A shape of the given rank with every dimension unknown. */
    public static Shape unknownDims(int rank) {
        Dim[] d = new Dim[rank];
        Arrays.fill(d, Dim.UNKNOWN);
        return of(d);
    }

    /** The shape of a scalar (rank 0). */
    public static final Shape SCALAR = new Shape(List.of());

    public int rank() { return dims.size(); }

    public Dim dim(int axis) { return dims.get(axis < 0 ? axis + dims.size() : axis); }

    public boolean isFullyKnown() { return dims.stream().allMatch(Dim::isKnown); }

    /** The sizes, -1 for dimensions that are not known. */
    public long[] toArray() { return dims.stream().mapToLong(Dim::value).toArray(); }

    /** Element count when all dimensions are known, else -1. */
    public long elementCount() {
        if (!isFullyKnown()) return -1;
        return Tensor.elementCount(toArray());
    }

    @Override
    public String toString() { return dims.toString(); }
}
