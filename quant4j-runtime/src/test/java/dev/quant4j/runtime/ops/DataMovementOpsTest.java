package dev.quant4j.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.OpException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Data-movement operators on shapes and attribute mixes larger than the backend tests use (image
 * and embedding sized tensors, negative steps and pads, several broadcast axes), against ONNX
 * Runtime on the same one-node model. Moved elements must match exactly; interpolation within 1e-5
 * of the output's largest magnitude.
 */
class DataMovementOpsTest {
    static final double EXACT = 0, TOL = 1e-5;
    final Random r = new Random(5);

    static Tensor longs(long... v) { return Tensor.ofLongs(v, v.length); }

    @Test
    void transposeImageToChannelsLastAndBack() throws Exception {
        new NodeCheck("Transpose").feed("x", NodeCheck.random(r, 2, 48, 37, 41)).ints("perm", 0, 2, 3, 1).outputs("y").assertMatchesOrt(1, EXACT);
        new NodeCheck("Transpose").feed("x", NodeCheck.random(r, 2, 37, 41, 48)).ints("perm", 0, 3, 1, 2).outputs("y").assertMatchesOrt(1, EXACT);
    }

    @Test
    void transposeSixDimensionsAndDefaultReverse() throws Exception {
        new NodeCheck("Transpose").feed("x", NodeCheck.random(r, 3, 4, 5, 2, 6, 7)).ints("perm", 5, 1, 3, 0, 4, 2).outputs("y").assertMatchesOrt(1, EXACT);
        new NodeCheck("Transpose").feed("x", NodeCheck.random(r, 3, 4, 5, 6)).outputs("y").assertMatchesOrt(1, EXACT);
    }

    @Test
    void sliceNegativeStepsOnSeveralAxesWithClampedBounds() throws Exception {
        new NodeCheck("Slice").feed("x", NodeCheck.random(r, 6, 50, 70)).constant("starts", longs(-1, 3, 1000))
                .constant("ends", longs(-1000, 45, -71)).constant("axes", longs(2, 1, -3)).constant("steps", longs(-3, 4, -2))
                .outputs("y").assertMatchesOrt(1, EXACT);
    }

    @Test
    void gatherEmbeddingRowsWithNegativeAndMatrixIndices() throws Exception {
        long[] idx = new long[2 * 128];
        for (int i = 0; i < idx.length; i++) idx[i] = r.nextInt(2000) - 1000;
        new NodeCheck("Gather").constant("table", NodeCheck.random(r, 1000, 384)).feed("ids", Tensor.ofLongs(idx, 2, 128))
                .outputs("y").assertMatchesOrt(1, EXACT);
        new NodeCheck("Gather").feed("x", NodeCheck.random(r, 4, 300, 9)).constant("i", Tensor.ofLongs(new long[] {-1, 0, 7, 7, 299, -300}, 3, 2))
                .attr("axis", 1).outputs("y").assertMatchesOrt(1, EXACT);
    }

    @Test
    void gatherElementsAndScatterElementsAlongInnerAxis() throws Exception {
        long[] idx = new long[8 * 33 * 20];
        for (int i = 0; i < idx.length; i++) idx[i] = r.nextInt(80) - 40;
        new NodeCheck("GatherElements").feed("x", NodeCheck.random(r, 8, 33, 40)).feed("i", Tensor.ofLongs(idx, 8, 33, 20))
                .attr("axis", 2).outputs("y").assertMatchesOrt(1, EXACT);
        long[] unique = new long[8 * 33 * 20];
        for (int i = 0; i < unique.length; i++) unique[i] = (i % 20) * 2; // distinct per row: no write order ambiguity
        new NodeCheck("ScatterElements").feed("x", NodeCheck.random(r, 8, 33, 40)).feed("i", Tensor.ofLongs(unique, 8, 33, 20))
                .feed("u", NodeCheck.random(r, 8, 33, 20)).attr("axis", 2).outputs("y").assertMatchesOrt(1, EXACT);
    }

    @Test
    void padReflectEdgeAndConstantWithNegativePads() throws Exception {
        for (String mode : new String[] {"reflect", "edge"}) {
            new NodeCheck("Pad").feed("x", NodeCheck.random(r, 2, 16, 33, 31)).constant("pads", longs(0, 0, 5, 7, 0, 0, 3, 30))
                    .attr("mode", mode).outputs("y").assertMatchesOrt(1, EXACT);
        }
        new NodeCheck("Pad").feed("x", NodeCheck.random(r, 2, 16, 33, 31)).constant("pads", longs(1, 0, -4, 2, 0, -3, 6, -2))
                .constant("v", Tensor.of(new float[] {2.5f})).outputs("y").assertMatchesOrt(1, EXACT);
    }

    @Test
    void concatSplitExpandTileOnLargerShapes() throws Exception {
        new NodeCheck("Concat").feed("a", NodeCheck.random(r, 2, 24, 30, 30)).feed("b", NodeCheck.random(r, 2, 8, 30, 30))
                .feed("c", NodeCheck.random(r, 2, 40, 30, 30)).attr("axis", 1).outputs("y").assertMatchesOrt(1, EXACT);
        new NodeCheck("Split").feed("x", NodeCheck.random(r, 3, 100, 17)).constant("s", longs(1, 60, 39)).attr("axis", -2)
                .outputs("a", "b", "c").assertMatchesOrt(1, EXACT);
        new NodeCheck("Expand").feed("x", NodeCheck.random(r, 3, 1, 50)).constant("s", longs(4, 1, 64, 1)).outputs("y").assertMatchesOrt(1, EXACT);
        new NodeCheck("Tile").feed("x", NodeCheck.random(r, 7, 1, 30)).constant("n", longs(3, 20, 2)).outputs("y").assertMatchesOrt(1, EXACT);
    }

    @Test
    void whereBroadcastsAllThreeInputs() throws Exception {
        boolean[] c = new boolean[40 * 1 * 60];
        for (int i = 0; i < c.length; i++) c[i] = r.nextBoolean();
        new NodeCheck("Where").constant("c", Tensor.ofBooleans(c, 40, 1, 60)).feed("x", NodeCheck.random(r, 1, 30, 60))
                .feed("y", NodeCheck.random(r, 30, 1)).outputs("z").assertMatchesOrt(1, EXACT);
    }

    @Test
    void depthToSpaceBothModesAndSpaceToDepth() throws Exception {
        for (String mode : new String[] {"DCR", "CRD"}) {
            new NodeCheck("DepthToSpace").feed("x", NodeCheck.random(r, 2, 36, 13, 11)).attr("blocksize", 3).attr("mode", mode)
                    .outputs("y").assertMatchesOrt(1, EXACT);
        }
        new NodeCheck("SpaceToDepth").feed("x", NodeCheck.random(r, 2, 5, 24, 36)).attr("blocksize", 4).outputs("y").assertMatchesOrt(1, EXACT);
    }

    @Test
    void resizeLinearCubicAndNearestModes() throws Exception {
        new NodeCheck("Resize").feed("x", NodeCheck.random(r, 1, 16, 40, 30)).none().none().constant("sizes", longs(1, 16, 83, 61))
                .attr("mode", "linear").outputs("y").assertMatchesOrt(1, TOL);
        new NodeCheck("Resize").feed("x", NodeCheck.random(r, 1, 3, 48, 64)).none().constant("scales", Tensor.of(new float[] {1, 1, 0.5f, 0.75f}, 4))
                .attr("mode", "cubic").attr("coordinate_transformation_mode", "pytorch_half_pixel").outputs("y").assertMatchesOrt(1, TOL);
        new NodeCheck("Resize").feed("x", NodeCheck.random(r, 2, 3, 20, 24)).none().constant("scales", Tensor.of(new float[] {1, 1, 2, 2}, 4))
                .attr("mode", "nearest").attr("coordinate_transformation_mode", "asymmetric").attr("nearest_mode", "floor")
                .outputs("y").assertMatchesOrt(1, EXACT);
        new NodeCheck("Resize").feed("x", NodeCheck.random(r, 1, 2, 17, 23)).none().none().constant("sizes", longs(1, 2, 40, 9))
                .attr("mode", "linear").attr("coordinate_transformation_mode", "align_corners").outputs("y").assertMatchesOrt(1, TOL);
    }

    @Test
    void topKOverALongAxisBothDirections() throws Exception {
        for (long largest : new long[] {1, 0}) {
            new NodeCheck("TopK").feed("x", NodeCheck.random(r, 6, 5000)).constant("k", longs(37)).attr("largest", largest)
                    .outputs("v").output("i", DataType.INT64).assertMatchesOrt(1, EXACT);
        }
    }

    @Test
    void topKLargeKAndTiesKeepTheLowerIndexFirst() throws Exception {
        float[] v = new float[4 * 300];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(7); // many equal values
        for (long k : new long[] {20, 150}) { // selection below 64, stable sort above
            new NodeCheck("TopK").feed("x", Tensor.of(v, 4, 300)).constant("k", longs(k)).outputs("v").output("i", DataType.INT64)
                    .assertMatchesOrt(1, EXACT);
            new NodeCheck("TopK").feed("x", Tensor.of(v, 4, 300)).constant("k", longs(k)).attr("largest", 0).outputs("v").output("i", DataType.INT64)
                    .assertMatchesOrt(1, EXACT);
        }
    }

    @Test
    void cumSumReverseExclusiveAgainstFloat64() {
        Tensor x = NodeCheck.random(r, 7, 300, 5);
        Tensor y = SequenceOps.cumSum(x, 1, true, true);
        float[] in = x.floats(), out = y.floats();
        double worst = 0;
        for (int a = 0; a < 7; a++)
            for (int c = 0; c < 5; c++) {
                double acc = 0;
                for (int b = 299; b >= 0; b--) {
                    int at = (a * 300 + b) * 5 + c;
                    worst = Math.max(worst, Math.abs(out[at] - acc));
                    acc += in[at];
                }
            }
        assertTrue(worst < 1e-5, "max error " + worst);
    }

    @Test
    void scatterNdAddAccumulatesDuplicateIndicesLikeFloat64() {
        Tensor data = NodeCheck.random(r, 10, 4, 6), upd = NodeCheck.random(r, 50, 6);
        long[] idx = new long[50 * 2];
        for (int i = 0; i < 50; i++) { idx[2 * i] = r.nextInt(10); idx[2 * i + 1] = r.nextInt(4); }
        Tensor y = IndexOps.scatterNd(data, Tensor.ofLongs(idx, 50, 2), upd, IndexOps.Combine.ADD);
        double[] ref = new double[240];
        float[] d = data.floats(), u = upd.floats();
        for (int i = 0; i < 240; i++) ref[i] = d[i];
        for (int i = 0; i < 50; i++)
            for (int j = 0; j < 6; j++) ref[(int) (idx[2 * i] * 24 + idx[2 * i + 1] * 6 + j)] += u[i * 6 + j];
        float[] got = y.floats();
        for (int i = 0; i < 240; i++) assertEquals(ref[i], got[i], 1e-5, "element " + i);
    }

    @Test
    void castKeepsSixtyFourBitIntegersAndTruncatesFloatsTowardZero() {
        long big = (1L << 53) + 1; // not representable in double: a trip through double would lose it
        Tensor t = CastOps.cast(Tensor.ofLongs(new long[] {big, -big}, 2), DataType.INT32);
        assertEquals((int) big, t.ints()[0]);
        assertEquals((int) -big, t.ints()[1]);
        Tensor f = CastOps.cast(Tensor.of(new float[] {-2.9f, 2.9f, -0.5f}, 3), DataType.INT64);
        assertEquals(-2, f.longs()[0]);
        assertEquals(2, f.longs()[1]);
        assertEquals(0, f.longs()[2]);
        Tensor h = CastOps.cast(Tensor.of(new float[] {1f / 3, 70000f}, 2), DataType.FLOAT16);
        assertEquals(Float.float16ToFloat(Float.floatToFloat16(1f / 3)), h.getDouble(0), 0);
        assertEquals(Double.POSITIVE_INFINITY, h.getDouble(1));
    }

    @Test
    void outOfRangeIndexIsAnErrorNamingTheNode() {
        NodeCheck c = new NodeCheck("Gather").feed("x", NodeCheck.random(r, 5, 3)).constant("i", longs(5)).outputs("y");
        OpException e = assertThrows(OpException.class, () -> c.runQuant4j(1));
        assertTrue(e.getMessage().contains("Gather") && e.getMessage().contains("index 5"), e.getMessage());
    }
}
