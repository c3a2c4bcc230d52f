package dev.quant4j.onnx;

/**
 * How {@link OnnxWriter} lays a model out on disk.
 *
 * @param externalThreshold initializers of at least this many bytes go to the external data
 *                          file; {@link Long#MAX_VALUE} keeps everything inside the model file
 * @param externalFileName  the side file's name, in the model's folder; null means
 *                          {@code <model file name>.data}
 * @param alignment         byte alignment of each tensor in the side file (a power of two), so
 *                          that readers can map and read it with aligned vector loads
 */
public record WriteOptions(long externalThreshold, String externalFileName, int alignment) {
    /** Everything embedded: the usual form for models under 2 GB. */
    public static final WriteOptions EMBEDDED = new WriteOptions(Long.MAX_VALUE, null, 64);

    public WriteOptions {
        if (externalThreshold < 0) throw new IllegalArgumentException("externalThreshold " + externalThreshold);
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        if (externalFileName != null && (externalFileName.isEmpty() || externalFileName.contains("/") || externalFileName.contains("\\") || externalFileName.equals("..") || externalFileName.equals("."))) {
            throw new IllegalArgumentException("externalFileName must be a plain file name: '" + externalFileName + "'");
        }
    }

    /** Initializers of at least {@code thresholdBytes} go to {@code <model>.data}. */
    public static WriteOptions external(long thresholdBytes) {
        return new WriteOptions(thresholdBytes, null, 4096);
    }

    public boolean usesExternalData() { return externalThreshold != Long.MAX_VALUE; }
}
