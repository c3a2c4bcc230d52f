package dev.quant4j.data.image;

/**
 * How pixel values become model inputs. {@code inputMax} is the source's full scale (255 for 8-bit
 * images, 1 for images already in [0, 1]).
 */
public sealed interface Normalization {
    /** Maps a value in the source scale to the model's scale, for channel {@code c}. */
    float apply(float v, int c);

    /** Values unchanged. */
    record None() implements Normalization {
        @Override public float apply(float v, int c) { return v; }
    }

    /** {@code [0, inputMax]} mapped linearly onto {@code [lo, hi]}. BlazeFace: (1, −1, 1) on [0,1] input. */
    record Range(float inputMax, float lo, float hi) implements Normalization {
        public Range {
            if (!(inputMax > 0) || !(hi > lo)) throw new IllegalArgumentException("range [" + lo + ", " + hi + "] from [0, " + inputMax + "]");
        }

        @Override public float apply(float v, int c) { return v / inputMax * (hi - lo) + lo; }
    }

    /**
     * {@code (v / inputMax − mean[c]) / std[c]}; one value of mean and std serves every channel.
     * PP-OCR: (255, {0.5}, {0.5}); ImageNet: (255, {0.485, 0.456, 0.406}, {0.229, 0.224, 0.225}).
     */
    record MeanStd(float inputMax, float[] mean, float[] std) implements Normalization {
        public MeanStd {
            if (mean.length == 0 || mean.length != std.length) throw new IllegalArgumentException("mean and std need the same, non-zero length");
            for (float s : std) if (!(s > 0)) throw new IllegalArgumentException("std must be positive: " + s);
            mean = mean.clone();
            std = std.clone();
        }

        @Override
        public float apply(float v, int c) {
            int k = mean.length == 1 ? 0 : c;
            return (v / inputMax - mean[k]) / std[k];
        }
    }
}
