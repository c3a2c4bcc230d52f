package dev.quant4j.cli;

import dev.quant4j.graph.Model;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How DATA is read: labels, value scale, image preprocessing, sample count and batch size (shared by the commands that read data). */
final class DataOptions {
    @Option(names = "--labels", paramLabel = "FILE", description = "Labels, one integer per sample (NPY or IDX); an NPZ may hold them as 'labels'.")
    Path labels;

    @Option(names = "--scale", paramLabel = "X", converter = Fraction.class,
            description = "Multiply every float input value by X, e.g. 1/255 for bytes (default: 1; built-in data sets bring their own). For a folder of images: the pixel (0..255) scale before --mean and --std (default: 1/255).")
    Float scale;

    @Mixin
    ImageOptions images;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "1000000000", description = "Use at most the first N samples (default: all).")
    int samples;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "Samples per run of the model (default: ${DEFAULT-VALUE}).")
    int batch;

    SampleData open(String data, Model model) {
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1");
        return SampleData.open(data, labels, scale, images == null ? ImageOptions.defaults() : images, model, samples);
    }

    /** A number or a fraction "a/b". */
    static final class Fraction implements picocli.CommandLine.ITypeConverter<Float> {
        @Override
        public Float convert(String v) {
            int slash = v.indexOf('/');
            float f = slash < 0 ? Float.parseFloat(v) : (float) (Double.parseDouble(v.substring(0, slash)) / Double.parseDouble(v.substring(slash + 1)));
            if (!Float.isFinite(f) || f == 0) throw new IllegalArgumentException("scale must be a finite non-zero number, got " + v);
            return f;
        }
    }
}
