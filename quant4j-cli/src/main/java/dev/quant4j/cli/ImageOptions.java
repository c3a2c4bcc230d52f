package dev.quant4j.cli;

import dev.quant4j.data.image.Preprocessing;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * How a folder of images becomes model inputs: each image is resized to the model input's height
 * and width, its channels made to match (grey copied to three, colour to BT.601 luma), and each
 * value becomes {@code (pixel·scale − mean[c]) / std[c]} with pixels in 0..255 and the scale from
 * {@code --scale} (default 1/255, so [0, 1] with the default mean 0 and std 1).
 */
final class ImageOptions {
    @Option(names = "--mean", split = ",", paramLabel = "M[,M,M]", hideParamSyntax = true,
            description = "Image folders: per-channel mean subtracted after scaling, one value or one per channel (default: 0; ImageNet: 0.485,0.456,0.406).")
    float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "S[,S,S]", hideParamSyntax = true,
            description = "Image folders: per-channel standard deviation divided by after the mean (default: 1; ImageNet: 0.229,0.224,0.225; [-1, 1]: --mean 0.5 --std 0.5).")
    float[] std;

    @Option(names = "--resize", defaultValue = "stretch", converter = FitConverter.class, paramLabel = "stretch|pad|crop|none",
            description = "Image folders: stretch to the input size; keep the aspect ratio and pad (right, bottom, black) or crop the centre; or none: pad or crop without resizing (default: ${DEFAULT-VALUE}).")
    Preprocessing.Fit fit = Preprocessing.Fit.STRETCH;

    @Option(names = "--bgr", description = "Image folders: feed colour channels in BGR order (default: RGB).")
    boolean bgr;

    @Option(names = "--layout", converter = LayoutConverter.class, paramLabel = "nchw|nhwc",
            description = "Image folders: the input's layout (default: from the model input's shape, where the channel axis is the one of size 1 or 3).")
    Preprocessing.Layout layout;

    /** Defaults throughout (pixels scaled to [0, 1]). */
    static ImageOptions defaults() { return new ImageOptions(); }

    float[] meanOrDefault() { return mean == null || mean.length == 0 ? new float[] {0} : mean.clone(); }

    float[] stdOrDefault() { return std == null || std.length == 0 ? new float[] {1} : std.clone(); }

    /** An enum constant by its name in any case, with the option named in the error. */
    abstract static class ByName<E extends Enum<E>> implements ITypeConverter<E> {
        private final Class<E> type;
        private final String option;

        ByName(Class<E> type, String option) {
            this.type = type;
            this.option = option;
        }

        @Override
        public E convert(String v) {
            for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(v)) return e;
            throw new IllegalArgumentException(option + " must be one of " + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()
                    + ", got " + v);
        }
    }

    static final class FitConverter extends ByName<Preprocessing.Fit> {
        FitConverter() { super(Preprocessing.Fit.class, "--resize"); }
    }

    static final class LayoutConverter extends ByName<Preprocessing.Layout> {
        LayoutConverter() { super(Preprocessing.Layout.class, "--layout"); }
    }
}
