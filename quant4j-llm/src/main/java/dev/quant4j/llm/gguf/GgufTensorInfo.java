package dev.quant4j.llm.gguf;

import dev.quant4j.llm.quant.GgmlType;

/**
 * A tensor as listed in a GGUF file. {@code dims} are in GGML order: dims[0] is the innermost
 * (contiguous) dimension, so a matrix with {@code rows} rows of {@code cols} weights has dims
 * {cols, rows}. {@code offset} is relative to the start of the data section; {@code byteSize} was
 * computed from the type and the dims and checked against the file.
 */
public record GgufTensorInfo(String name, long[] dims, GgmlType type, long offset, long byteSize) {

    public GgufTensorInfo {
        dims = dims.clone();
    }

    @Override public long[] dims() { return dims.clone(); }

    public int rank() { return dims.length; }

    public long elementCount() {
        long n = 1;
        for (long d : dims) n = Math.multiplyExact(n, d);
        return n;
    }

    @Override public String toString() {
        return name + " " + type + " " + java.util.Arrays.toString(dims) + " @" + offset + " (" + byteSize + " bytes)";
    }
}
