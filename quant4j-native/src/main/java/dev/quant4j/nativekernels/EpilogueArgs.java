package dev.quant4j.nativekernels;

import dev.quant4j.kernels.Epilogue;
import java.lang.foreign.MemorySegment;

/**
 * An {@link Epilogue} flattened into the arguments of q4j_i8_gemm. Segments are heap segments
 * over the epilogue's own arrays (the downcall is critical), the output sliced to element (0,0).
 * Kinds follow the C enum: 0 int32, 1 float, 2 int8.
 */
record EpilogueArgs(int kind, MemorySegment out, long ldc, MemorySegment scale, int scaleCount,
                    MemorySegment bias, int outZeroPoint, int qmin, int qmax) {

    /** The same epilogue for the rows from {@code i0} on: the output moves down {@code i0} rows. */
    EpilogueArgs fromRow(int i0) {
        long elemBytes = kind == 2 ? 1 : 4;
        return new EpilogueArgs(kind, out.asSlice(i0 * ldc * elemBytes), ldc, scale, scaleCount, bias, outZeroPoint, qmin, qmax);
    }

    static EpilogueArgs of(Epilogue epilogue) {
        return switch (epilogue) {
            case Epilogue.ToInt32 e -> new EpilogueArgs(0, MemorySegment.ofArray(e.out()).asSlice(e.off() * 4L), e.ldc(),
                    MemorySegment.NULL, 1, MemorySegment.NULL, 0, 0, 0);
            case Epilogue.ToFloat e -> new EpilogueArgs(1, MemorySegment.ofArray(e.out()).asSlice(e.off() * 4L), e.ldc(),
                    MemorySegment.ofArray(e.scale()), e.scale().length,
                    e.bias() == null ? MemorySegment.NULL : MemorySegment.ofArray(e.bias()), 0, 0, 0);
            case Epilogue.ToInt8 e -> new EpilogueArgs(2, MemorySegment.ofArray(e.out()).asSlice(e.off()), e.ldc(),
                    MemorySegment.ofArray(e.multiplier()), e.multiplier().length,
                    e.bias() == null ? MemorySegment.NULL : MemorySegment.ofArray(e.bias()),
                    e.outZeroPoint(), e.qmin(), e.qmax());
        };
    }
}
