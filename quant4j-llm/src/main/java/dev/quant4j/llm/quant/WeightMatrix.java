package dev.quant4j.llm.quant;

import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.KernelsFactory;
import dev.quant4j.kernels.PackedF32;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A weight matrix W [rows × cols] stored row by row in a GGML type: each row is cols/blockSize
 * blocks, rows follow each other without padding (the GGUF tensor layout, with ne[0] = cols).
 * {@code rows} are the outputs of {@link #matvec}: y = W·x.
 *
 * <p>The data may be a memory-mapped slice of a model file; it is only read.
 */
public final class WeightMatrix {
    private final GgmlType type;
    private final int rows;
    private final int cols;
    private final MemorySegment data;
    private final long rowBytes;
    private final BlockFormat format;
    private final RowDot dot;
    /** Whether rows take 8-bit activations (Q4Q8Dots or NativeDots run them), else the float dots. */
    private final boolean q8Rows;

    public WeightMatrix(GgmlType type, int rows, int cols, MemorySegment data) {
        this.type = Objects.requireNonNull(type, "type");
        this.format = type.format();
        if (rows <= 0 || cols <= 0) throw new IllegalArgumentException("matrix shape " + rows + "×" + cols + " must be positive");
        if (cols % type.blockSize() != 0)
            throw new IllegalArgumentException(type + " needs cols (" + cols + ") to be a multiple of " + type.blockSize());
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = type.byteSize(cols);
        long need = Math.multiplyExact(rowBytes, (long) rows);
        if (data.byteSize() < need)
            throw new IllegalArgumentException(type + " " + rows + "×" + cols + " needs " + need + " bytes, data has " + data.byteSize());
        this.data = data.asSlice(0, need);
        this.dot = RowDot.best(type);
        this.q8Rows = Q4Q8Dots.of(type) != null;
    }

    /**
     * Quantizes the row-major fp32 matrix {@code w} to {@code type}. {@code importance} (length
     * cols, or null for round-to-nearest) weighs each input column's squared error.
     */
    public static WeightMatrix quantize(GgmlType type, int rows, int cols, float[] w, float[] importance) {
        if (w.length < (long) rows * cols) throw new IllegalArgumentException("weights hold " + w.length + " values, need " + (long) rows * cols);
        if (importance != null && importance.length != cols)
            throw new IllegalArgumentException("importance has " + importance.length + " values, need one per column (" + cols + ")");
        BlockFormat f = type.format();
        long rowBytes = type.byteSize(cols);
        MemorySegment seg = Arena.ofAuto().allocate(Math.multiplyExact(rowBytes, (long) rows), 64);
        for (int r = 0; r < rows; r++) f.quantize(w, r * cols, importance, 0, cols, seg, r * rowBytes);
        return new WeightMatrix(type, rows, cols, seg);
    }

    public GgmlType type() { return type; }
    public int rows() { return rows; }
    public int cols() { return cols; }
    /** The encoded bytes (rows × rowBytes). */
    public MemorySegment data() { return data; }
    public long rowBytes() { return rowBytes; }
    public long byteSize() { return data.byteSize(); }

    /** Decodes row {@code r} into {@code dst[0..cols)}. */
    public void dequantizeRow(int r, float[] dst) {
        Objects.checkIndex(r, rows);
        format.dequantize(data, r * rowBytes, dst, 0, cols);
    }

    /** The whole matrix decoded to fp32, row-major (for tests and reference computations). */
    public float[] toFloat() {
        float[] out = new float[Math.toIntExact((long) rows * cols)];
        for (int r = 0; r < rows; r++) format.dequantize(data, r * rowBytes, out, r * cols, cols);
        return out;
    }

    /** y[rows] = W·x[cols], on all available processors. */
    public void matvec(float[] x, float[] y) {
        matvec(x, y, Runtime.getRuntime().availableProcessors());
    }

    /** y[rows] = W·x[cols], on at most {@code threads} threads. */
    public void matvec(float[] x, float[] y, int threads) {
        matvec(x, 0, y, 0, threads);
    }

    /**
     * As {@link #matvec(float[], int, float[], int, int)}, except that for Q4_0, Q4_K and Q8_0, x is
     * first quantized to 8 bits per group of 32 ({@link Q8Activations}, once per call, as
     * llama.cpp quantizes activations) and each row is an integer dot with it — about 1.4× faster
     * on AVX2, at a relative error of ~0.3% per product from rounding x. Other types, and
     * machines without 256-bit vectors, compute exactly what matvec does.
     */
    public void matvecQuantizedInput(float[] x, int xOff, float[] y, int yOff, int threads) {
        products(new WeightMatrix[] {this}, x, xOff, new float[][] {y}, new int[] {yOff}, true, threads);
    }

    /** y[yOff..yOff+rows) = W·x[xOff..xOff+cols). */
    public void matvec(float[] x, int xOff, float[] y, int yOff, int threads) {
        products(new WeightMatrix[] {this}, x, xOff, new float[][] {y}, new int[] {yOff}, false, threads);
    }

    /**
     * ys[i][0..rows_i) = W_i·x for matrices of the same width, in one parallel pass (one hand-off
     * to the threads instead of one per matrix, and x quantized once): the q/k/v and the gate/up
     * projections of a decode step. {@code quantizedInput} as in {@link #matvecQuantizedInput}.
     */
    public static void matvecs(WeightMatrix[] ws, float[] x, int xOff, float[][] ys, boolean quantizedInput, int threads) {
        if (ws.length == 0 || ws.length != ys.length) throw new IllegalArgumentException(ws.length + " matrices, " + ys.length + " outputs");
        products(ws, x, xOff, ys, new int[ws.length], quantizedInput, threads);
    }

    private static void products(WeightMatrix[] ws, float[] x, int xOff, float[][] ys, int[] yOffs, boolean quantizedInput, int threads) {
        int cols = ws[0].cols;
        int[] start = new int[ws.length + 1];
        boolean q8 = false;
        for (int i = 0; i < ws.length; i++) {
            if (ws[i].cols != cols) throw new IllegalArgumentException("matrices of widths " + cols + " and " + ws[i].cols + " share one input");
            Objects.checkFromIndexSize(yOffs[i], ws[i].rows, ys[i].length);
            start[i + 1] = Math.addExact(start[i], ws[i].rows);
            q8 |= quantizedInput && ws[i].q8Rows;
        }
        Objects.checkFromIndexSize(xOff, cols, x.length);
        Q8Activations a = q8 ? Q8Activations.of(x, xOff, cols) : null;
        RowParallel.run(start[ws.length], threads, (long) start[ws.length] * cols, (from, to) -> {
            for (int i = 0; i < ws.length; i++) {
                int lo = Math.max(from, start[i]), hi = Math.min(to, start[i + 1]);
                if (lo < hi) ws[i].rowDots(lo - start[i], hi - start[i], x, xOff, a, ys[i], yOffs[i]);
            }
        });
    }

    /** Rows from..to-1 of the product; with the quantized kernel when {@code a} is given and this type has one. */
    private void rowDots(int from, int to, float[] x, int xOff, Q8Activations a, float[] y, int yOff) {
        long off = from * rowBytes;
        if (a != null && q8Rows) {
            if (!NativeDots.rows(type, data, off, rowBytes, to - from, a, cols, y, yOff + from))
                Q4Q8Dots.rows(type, data, off, rowBytes, to - from, a, cols, y, yOff + from);
        } else {
            RowDot d = dot;
            for (int r = from; r < to; r++, off += rowBytes) y[yOff + r] = d.dot(data, off, x, xOff, cols);
        }
    }

    /**
     * Batched product for prefill: Y[m × rows] = X[m × cols]·Wᵀ, both row-major. Each thread
     * decodes a panel of weight rows to fp32 (small enough to stay in L2) and multiplies all m
     * inputs with it through the kernel layer's fp32 GEMM, so the weights are streamed and decoded
     * once per call and the arithmetic runs register-tiled (rather than one dot per row and input).
     */
    public void matmul(float[] x, int m, float[] y, int threads) {
        if (m <= 0) throw new IllegalArgumentException("m = " + m);
        Objects.checkFromIndexSize(0, Math.multiplyExact(m, cols), x.length);
        Objects.checkFromIndexSize(0, Math.multiplyExact(m, rows), y.length);
        if (m == 1) { matvec(x, 0, y, 0, threads); return; }
        int panel = Math.max(8, (PANEL_BYTES / 4 / cols) / 8 * 8);
        // Xᵀ packed once for every panel and thread: each panel is then C = panel·Xᵀ [n × m]
        PackedF32 xt = GEMM.packF32(cols, m, MemorySegment.ofArray(x), 0, cols, true);
        RowParallel.run(rows, threads, (long) rows * cols * m, (from, to) -> {
            float[] buf = new float[Math.min(panel, to - from) * cols], c = new float[Math.min(panel, to - from) * m];
            for (int r0 = from; r0 < to; r0 += panel) {
                int n = Math.min(panel, to - r0);
                for (int r = 0; r < n; r++) format.dequantize(data, (long) (r0 + r) * rowBytes, buf, r * cols, cols);
                GEMM.sgemm(n, buf, 0, cols, xt, c, 0, m, false);
                for (int r = 0; r < n; r++)
                    for (int i = 0; i < m; i++) y[i * rows + r0 + r] = c[r * m + i];
            }
        });
    }

    /** Decoded weight panel size for {@link #matmul}: half of this VM's 512 KB L2. */
    private static final int PANEL_BYTES = 256 << 10;
    /** Single-threaded fp32 GEMM of the kernel layer; the row panels are what runs in parallel. */
    private static final Kernels GEMM = KernelsFactory.create(1);

    /** As {@link #matmul(float[], int, float[], int)} on all available processors. */
    public void matmul(float[] x, int m, float[] y) {
        matmul(x, m, y, Runtime.getRuntime().availableProcessors());
    }

    @Override public String toString() {
        return "WeightMatrix[" + type + " " + rows + "×" + cols + ", " + data.byteSize() + " bytes]";
    }
}
