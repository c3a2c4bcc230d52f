package dev.quant4j.quantize;

import dev.quant4j.core.DataType;
import dev.quant4j.core.quant.QuantizedStorage;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.List;

/**
 * Weight-only quantization of MatMul nodes whose second input is a constant float matrix W[K][N]:
 * the nodes the policy gives {@link Precision#INT4_WEIGHT} or {@link Precision#INT8_WEIGHT} get
 * their weight quantized in blocks along K (round-to-nearest) and written in one of two forms:
 *
 * <ul>
 *   <li>{@link Format#MATMUL_NBITS}: one {@code com.microsoft} MatMulNBits node; B is uint8
 *       [N][nBlocks][blockSize * bits / 8] (4-bit: element 2i in the low nibble), scales
 *       [N * nBlocks], zero_points (affine only) packed like B per column:
 *       <pre>  4-bit zero points, column n: byte j = zp[n][2j] | zp[n][2j+1] << 4   (ceil(nBlocks/2) bytes)</pre>
 *   <li>{@link Format#BLOCKED_DEQUANTIZE}: an opset-21 DequantizeLinear (axis 0, block_size) of an
 *       INT4/INT8 (symmetric) or UINT4/UINT8 (with zero-points) W[K][N], feeding the MatMul; the
 *       model's opset is raised to 21 ({@link OpsetUpgrade}).
 * </ul>
 */
public final class WeightOnlyQuantizer {
    /** How the quantized weight is written. */
    public enum Format { MATMUL_NBITS, BLOCKED_DEQUANTIZE }

    /** @param symmetric no zero-points (symmetric blocks) or a zero-point per block */
    public record Options(int blockSize, boolean symmetric, Format format) {
        public Options {
            if (blockSize < 16 || blockSize > 256 || Integer.bitCount(blockSize) != 1)
                throw new IllegalArgumentException("block size must be a power of two in 16..256, got " + blockSize);
            if (format == null) throw new IllegalArgumentException("format is required");
        }
    }

    /**
     * How a weight W[K][N] is rounded onto its blocks: round-to-nearest ({@link #RTN}) or an
     * error-minimizing method (package {@code dev.quant4j.quantize.optimize}).
     */
    public interface Rounding {
        /** Named in the report. */
        String name();

        BlockQuantizedWeight quantize(Node matMul, float[] w, int k, int n, int bits, int blockSize, boolean symmetric);
    }

    /** Round-to-nearest with each block's min/max. */
    public static final Rounding RTN = new Rounding() {
        @Override public String name() { return "RTN"; }
        @Override public BlockQuantizedWeight quantize(Node matMul, float[] w, int k, int n, int bits, int blockSize, boolean symmetric) {
            return BlockQuantizedWeight.quantize(w, k, n, bits, blockSize, symmetric);
        }
    };

    private WeightOnlyQuantizer() {}

    /** Quantizes {@code model} in place by round-to-nearest; returns the decisions, one per MatMul. */
    public static QuantizationReport apply(Model model, PrecisionPolicy policy, Options options) {
        return apply(model, policy, options, RTN);
    }

    /** Quantizes {@code model} in place, rounding with {@code rounding}; returns the decisions, one per MatMul. */
    public static QuantizationReport apply(Model model, PrecisionPolicy policy, Options options, Rounding rounding) {
        QuantizationReport report = new QuantizationReport("weight-only " + options.format());
        Graph g = model.graph();
        boolean any = false;
        for (Node node : List.copyOf(g.nodes())) {
            if (!node.isOnnxDomain() || !node.opType().equals("MatMul")) continue;
            PrecisionPolicy.Decision d = policy.decide(node);
            int bits = d.precision() == Precision.INT4_WEIGHT ? 4 : d.precision() == Precision.INT8_WEIGHT ? 8 : 0;
            if (bits == 0) { report.kept(node.name(), node.opType(), d.precision(), d.reason() + "; not a weight-only precision"); continue; }
            Tensor w = ConstantWeights.floatConstant(g, node.input(1));
            if (w == null || w.rank() != 2) {
                report.kept(node.name(), node.opType(), d.precision(), d.reason() + "; B is not a constant float matrix");
                continue;
            }
            int k = Math.toIntExact(w.dim(0)), n = Math.toIntExact(w.dim(1));
            if (options.format() == Format.BLOCKED_DEQUANTIZE && k % options.blockSize() != 0) {
                report.kept(node.name(), node.opType(), d.precision(), d.reason() + "; K=" + k + " is not a multiple of block size " + options.blockSize());
                continue;
            }
            BlockQuantizedWeight q = rounding.quantize(node, w.floats(), k, n, bits, options.blockSize(), options.symmetric());
            if (options.format() == Format.MATMUL_NBITS) writeMatMulNBits(g, node, q);
            else writeBlockedDequantize(g, node, q);
            any = true;
            report.quantized(node.name(), node.opType(), d.precision(), d.reason() + "; " + bits + "-bit blocks of " + options.blockSize()
                    + (options.symmetric() ? ", symmetric" : ", zero-points") + ", " + rounding.name());
        }
        if (any) {
            if (options.format() == Format.MATMUL_NBITS) model.opsets().putIfAbsent("com.microsoft", 1L);
            else OpsetUpgrade.to(model, 21);
            g.eliminateDeadNodes();
        }
        report.recordIn(model);
        return report;
    }

    private static void writeMatMulNBits(Graph g, Node mm, BlockQuantizedWeight q) {
        int nb = q.blocks(), kp = q.paddedK(), blob = q.blockSize() * q.bits() / 8;
        byte[] b = new byte[q.n() * nb * blob];
        for (int col = 0; col < q.n(); col++) {
            int[] codes = java.util.Arrays.copyOfRange(q.codes(), col * kp, (col + 1) * kp);
            byte[] packed = QuantizedStorage.pack(codes, q.bits() == 4 ? DataType.UINT4 : DataType.UINT8);
            System.arraycopy(packed, 0, b, col * nb * blob, packed.length);
        }
        String base = mm.name().isEmpty() ? mm.output(0) : mm.name();
        String bName = ConstantWeights.addInitializer(g, base + "_B_q" + q.bits(), Tensor.ofBytes(DataType.UINT8, b, q.n(), nb, blob));
        String sName = ConstantWeights.addInitializer(g, base + "_scales", Tensor.of(q.scales(), (long) q.n() * nb));
        Node nbits = new Node(mm.name(), "MatMulNBits", "com.microsoft", List.of(mm.input(0), bName, sName), mm.outputs(),
                new Attributes().put("K", (long) q.k()).put("N", (long) q.n()).put("bits", (long) q.bits()).put("block_size", (long) q.blockSize()));
        if (!q.symmetric()) {
            int perCol = q.bits() == 4 ? (nb + 1) / 2 : nb;
            byte[] zp = new byte[q.n() * perCol];
            for (int col = 0; col < q.n(); col++) {
                int[] z = java.util.Arrays.copyOfRange(q.zeroPoints(), col * nb, (col + 1) * nb);
                byte[] packed = QuantizedStorage.pack(z, q.bits() == 4 ? DataType.UINT4 : DataType.UINT8);
                System.arraycopy(packed, 0, zp, col * perCol, packed.length);
            }
            nbits.addInput(ConstantWeights.addInitializer(g, base + "_zero_points", Tensor.ofBytes(DataType.UINT8, zp, zp.length)));
        }
        g.insertAfter(mm, nbits);
        g.removeNode(mm);
    }

    private static void writeBlockedDequantize(Graph g, Node mm, BlockQuantizedWeight q) {
        int k = q.k(), n = q.n(), nb = q.blocks(), kp = q.paddedK(), off = q.offset();
        DataType type = q.symmetric() ? (q.bits() == 4 ? DataType.INT4 : DataType.INT8) : (q.bits() == 4 ? DataType.UINT4 : DataType.UINT8);
        int shift = q.symmetric() ? off : 0;
        int[] codes = new int[k * n];
        for (int kk = 0; kk < k; kk++) for (int col = 0; col < n; col++) codes[kk * n + col] = q.codes()[col * kp + kk] - shift;
        float[] scales = new float[nb * n];
        int[] zps = new int[nb * n];
        for (int b = 0; b < nb; b++) for (int col = 0; col < n; col++) {
            scales[b * n + col] = q.scales()[col * nb + b];
            zps[b * n + col] = q.zeroPoints()[col * nb + b] - shift;
        }
        String base = mm.name().isEmpty() ? mm.output(0) : mm.name();
        String wName = ConstantWeights.addInitializer(g, base + "_W_q" + q.bits(), Tensor.ofBytes(type, QuantizedStorage.pack(codes, type), k, n));
        String sName = ConstantWeights.addInitializer(g, base + "_W_scale", Tensor.of(scales, nb, n));
        Node dq = new Node(g.uniqueName(base + "_DequantizeLinear"), "DequantizeLinear", "", List.of(wName, sName), List.of(g.uniqueName(base + "_W_dq")),
                new Attributes().put("axis", 0L).put("block_size", (long) q.blockSize()));
        if (!q.symmetric())
            dq.addInput(ConstantWeights.addInitializer(g, base + "_W_zero_point", Tensor.ofBytes(type, QuantizedStorage.pack(zps, type), nb, n)));
        g.insertBefore(mm, dq);
        mm.setInput(1, dq.output(0));
    }
}
