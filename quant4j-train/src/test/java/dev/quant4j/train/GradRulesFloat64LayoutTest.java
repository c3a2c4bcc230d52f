package dev.quant4j.train;

import dev.quant4j.graph.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The data-movement backward rules against float64 central differences of {@link Ref64Layout}'s
 * evaluators: each output is one input element, so every check is about the backward sending each
 * dy to the right place (and summing where Gather repeats an index). Reshape, Flatten, Squeeze and
 * Unsqueeze keep the row-major order, so their reference is the identity on the flat values.
 */
class GradRulesFloat64LayoutTest {
    private static long[] s(long... d) { return d; }

    @Test void reshapeFlattenSqueezeUnsqueeze() {
        new GradCheck("Reshape").input(s(2, 3, 4), -1, 1).constant(Tensor.vectorOfLongs(4, -1)).reference(x -> x[0].clone()).run();
        new GradCheck("Reshape").input(s(2, 3, 4), -1, 1).constant(Tensor.vectorOfLongs(0, 2, 2, 3)).reference(x -> x[0].clone()).run();
        new GradCheck("Flatten").attr("axis", 2L).input(s(2, 3, 4, 2), -1, 1).reference(x -> x[0].clone()).run();
        new GradCheck("Flatten").attr("axis", 0L).input(s(2, 3, 2), -1, 1).reference(x -> x[0].clone()).run();
        new GradCheck("Squeeze").input(s(2, 1, 3, 1), -1, 1).constant(Tensor.vectorOfLongs(1, -1)).reference(x -> x[0].clone()).run();
        new GradCheck("Squeeze").input(s(1, 3, 1, 2), -1, 1).reference(x -> x[0].clone()).run();
        new GradCheck("Unsqueeze").input(s(2, 3), -1, 1).constant(Tensor.vectorOfLongs(0, -1)).reference(x -> x[0].clone()).run();
        new GradCheck("Squeeze").opset(11).attr("axes", 0L).input(s(1, 3, 2), -1, 1).reference(x -> x[0].clone()).run();
        new GradCheck("Unsqueeze").opset(11).attr("axes", 1L).input(s(3, 2), -1, 1).reference(x -> x[0].clone()).run();
    }

    @Test void transpose() {
        new GradCheck("Transpose").attr("perm", 2L, 0L, 1L).input(s(2, 3, 4), -1, 1).reference(x -> Ref64Layout.transpose(x[0], s(2, 3, 4), 2, 0, 1)).run();
        new GradCheck("Transpose").input(s(2, 3, 4, 5), -1, 1).reference(x -> Ref64Layout.transpose(x[0], s(2, 3, 4, 5))).run();
        new GradCheck("Transpose").attr("perm", 0L, 2L, 3L, 1L).input(s(2, 3, 2, 4), -1, 1)
                .reference(x -> Ref64Layout.transpose(x[0], s(2, 3, 2, 4), 0, 2, 3, 1)).run();
    }

    @Test void concat() {
        new GradCheck("Concat").attr("axis", 1L).input(s(2, 3, 2), -1, 1).input(s(2, 1, 2), -1, 1).input(s(2, 2, 2), -1, 1)
                .reference(x -> Ref64Layout.concat(1, x, new long[][] {s(2, 3, 2), s(2, 1, 2), s(2, 2, 2)})).run();
        new GradCheck("Concat").attr("axis", -1L).input(s(3, 2), -1, 1).input(s(3, 4), -1, 1)
                .reference(x -> Ref64Layout.concat(1, x, new long[][] {s(3, 2), s(3, 4)})).run();
        new GradCheck("Concat").attr("axis", 0L).input(s(1, 4), -1, 1).input(s(2, 4), -1, 1)
                .reference(x -> Ref64Layout.concat(0, x, new long[][] {s(1, 4), s(2, 4)})).run();
    }

    @Test void slice() {
        new GradCheck("Slice").input(s(4, 6, 3), -1, 1).constant(Tensor.vectorOfLongs(1, -1)).constant(Tensor.vectorOfLongs(4, -7))
                .constant(Tensor.vectorOfLongs(0, 1)).constant(Tensor.vectorOfLongs(2, -2))
                .reference(x -> Ref64Layout.slice(x[0], s(4, 6, 3), s(1, -1), s(4, -7), s(0, 1), s(2, -2))).run();
        // axes omitted, ends past the dimension
        new GradCheck("Slice").input(s(5, 4), -1, 1).constant(Tensor.vectorOfLongs(-4, 1)).constant(Tensor.vectorOfLongs(100, 3))
                .reference(x -> Ref64Layout.slice(x[0], s(5, 4), s(-4, 1), s(100, 3), null, null)).run();
        // a full reversal (end before the first element) and a stride of 3
        new GradCheck("Slice").input(s(3, 7), -1, 1).constant(Tensor.vectorOfLongs(-1, 0)).constant(Tensor.vectorOfLongs(Long.MIN_VALUE, 7))
                .constant(Tensor.vectorOfLongs(0, 1)).constant(Tensor.vectorOfLongs(-1, 3))
                .reference(x -> Ref64Layout.slice(x[0], s(3, 7), s(-1, 0), s(Long.MIN_VALUE, 7), s(0, 1), s(-1, 3))).run();
        // a start past the end with a negative step (clamped to the last element), a negative axis
        new GradCheck("Slice").input(s(2, 6), -1, 1).constant(Tensor.vectorOfLongs(100)).constant(Tensor.vectorOfLongs(-100))
                .constant(Tensor.vectorOfLongs(-1)).constant(Tensor.vectorOfLongs(-2))
                .reference(x -> Ref64Layout.slice(x[0], s(2, 6), s(100), s(-100), s(-1), s(-2))).run();
        // opset 9: starts/ends/axes are attributes
        new GradCheck("Slice").opset(9).attr("starts", 1L, -5L).attr("ends", 3L, 100L).attr("axes", 0L, 2L).input(s(4, 2, 6), -1, 1)
                .reference(x -> Ref64Layout.slice(x[0], s(4, 2, 6), s(1, -5), s(3, 100), s(0, 2), null)).run();
        new GradCheck("Slice").opset(9).attr("starts", 1L).attr("ends", 3L).input(s(4, 2), -1, 1)
                .reference(x -> Ref64Layout.slice(x[0], s(4, 2), s(1), s(3), null, null)).run();
    }

    @Test void gather() {
        // repeated (4, 0 twice) and negative indices: their gradients must add up
        long[] idx = {4, 0, -1, 2, 0, 4};
        new GradCheck("Gather").attr("axis", 1L).input(s(2, 5, 3), -1, 1).constant(Tensor.ofLongs(idx, 2, 3))
                .reference(x -> Ref64Layout.gather(x[0], s(2, 5, 3), 1, idx)).run();
        new GradCheck("Gather").input(s(4, 3), -1, 1).constant(Tensor.ofLongs(new long[] {-2}))
                .reference(x -> Ref64Layout.gather(x[0], s(4, 3), 0, new long[] {-2})).run();
        new GradCheck("Gather").attr("axis", -1L).input(s(2, 3, 4), -1, 1).constant(Tensor.ofLongs(new long[] {3, 3, 1}, 3))
                .reference(x -> Ref64Layout.gather(x[0], s(2, 3, 4), 2, new long[] {3, 3, 1})).run();
        new GradCheck("Gather").input(s(3, 2), -1, 1).constant(Tensor.ofInts(new int[] {2, -3, 2, 1}, 2, 2))
                .reference(x -> Ref64Layout.gather(x[0], s(3, 2), 0, new long[] {2, -3, 2, 1})).run();
    }
}
