package dev.quant4j.cli;

import dev.quant4j.core.DataType;
import dev.quant4j.data.npy.NpyArray;
import dev.quant4j.data.npy.NpyDtype;
import dev.quant4j.data.npy.NpyHeader;
import dev.quant4j.graph.Tensor;
import java.nio.file.Path;

/**
 * Between NPY arrays and graph tensors, without copying the data: both hold little-endian
 * row-major elements. Fortran-order files are refused rather than transposed silently.
 */
final class NpyTensors {
    private NpyTensors() {}

    static Tensor toTensor(NpyArray a, Path file) {
        if (a.header().fortranOrder())
            throw new BadInputException(file, "Fortran-order array; save it in C order (numpy.ascontiguousarray)");
        DataType t = switch (a.dtype()) {
            case F2 -> DataType.FLOAT16;
            case F4 -> DataType.FLOAT32;
            case F8 -> DataType.FLOAT64;
            case I1 -> DataType.INT8;
            case U1 -> DataType.UINT8;
            case I4 -> DataType.INT32;
            case I8 -> DataType.INT64;
        };
        return Tensor.wrap(t, a.data(), a.shape());
    }

    /** BOOL becomes u1 (0/1) since quant4j's NPY layer has no bool type. */
    static NpyArray toNpy(Tensor t, String name) {
        NpyDtype d = switch (t.dtype()) {
            case FLOAT16 -> NpyDtype.F2;
            case FLOAT32 -> NpyDtype.F4;
            case FLOAT64 -> NpyDtype.F8;
            case INT8 -> NpyDtype.I1;
            case UINT8, BOOL -> NpyDtype.U1;
            case INT32 -> NpyDtype.I4;
            case INT64 -> NpyDtype.I8;
            default -> throw new IllegalArgumentException("output " + name + ": NPY writing of " + t.dtype() + " is not supported");
        };
        return new NpyArray(new NpyHeader(1, d, false, t.shape(), 0), t.data(), name);
    }
}
