package dev.quant4j.core.quant;

import java.util.Arrays;

/**
 * A tensor shape seen from the quantization axis: {@code outer} rows before it, {@code dim} indices
 * along it and {@code inner} elements after it, so the flat index of element (o, d, i) is
 * {@code (o * dim + d) * inner + i}. With blocks of {@code blockSize} along the axis, the parameter
 * for (o, d, i) sits at flat index {@code (o * (dim / blockSize) + d / blockSize) * inner + i}
 * (the parameter tensor has the input's shape with the axis divided by the block size).
 *
 * @param count number of elements in the tensor
 */
public record ParamLayout(int outer, int dim, int inner, int count) {
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /**
     * The layout of {@code shape} around {@code axis} (negative counts from the end, as in ONNX).
     * Checks that the shape is valid and that its element count fits an array.
     */
    public static ParamLayout of(long[] shape, int axis) {
        if (shape == null) throw new IllegalArgumentException("shape is null");
        int rank = shape.length;
        int a = rank == 0 && (axis == 0 || axis == -1) ? -1 : resolveAxis(axis, rank);
        long outer = 1, dim = 1, inner = 1;
        for (int k = 0; k < rank; k++) {
            long d = shape[k];
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("bad dimension " + d + " at " + k + " in shape " + Arrays.toString(shape));
            }
            if (k < a) outer *= d; else if (k == a) dim = d; else inner *= d;
            // Each factor stays below 2^31 before the next multiplication, so no long overflows.
            if (outer > MAX_ELEMENTS || inner > MAX_ELEMENTS || outer * dim * inner > MAX_ELEMENTS) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more elements than an array holds");
            }
        }
        return new ParamLayout((int) outer, (int) dim, (int) inner, (int) (outer * dim * inner));
    }

    /** {@code axis} made non-negative for a tensor of {@code rank}; throws if it is out of range. */
    public static int resolveAxis(int axis, int rank) {
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + rank);
        }
        return axis < 0 ? axis + rank : axis;
    }

    /** Checks that {@code length} matches the shape's element count. */
    public void checkLength(int length, String what) {
        if (length != count) {
            throw new IllegalArgumentException(what + " has " + length + " elements but its shape has " + count);
        }
    }

    public static long[] toLong(int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) s[i] = shape[i];
        return s;
    }
}
