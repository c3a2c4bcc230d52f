package dev.quant4j.llm.llama2c;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A row-major float32 matrix [rows, cols] held in a (usually file-mapped) segment, little-endian.
 */
public record F32Tensor(String name, int rows, int cols, MemorySegment data) {
    static final ValueLayout.OfFloat LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public F32Tensor {
        if (data.byteSize() != 4L * rows * cols)
            throw new IllegalArgumentException(name + ": " + data.byteSize() + " bytes for " + rows + "x" + cols + " floats");
    }

    public float get(int r, int c) { return data.get(LE, 4L * ((long) r * cols + c)); }

    /** A copy of every element, row-major. */
    public float[] toArray() {
        float[] a = new float[Math.multiplyExact(rows, cols)];
        MemorySegment.copy(data, LE, 0, a, 0, a.length);
        return a;
    }
}
