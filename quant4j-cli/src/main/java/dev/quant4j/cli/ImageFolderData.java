package dev.quant4j.cli;

import dev.quant4j.core.DataType;
import dev.quant4j.data.DataFileException;
import dev.quant4j.data.Sample;
import dev.quant4j.data.image.ImageFolder;
import dev.quant4j.data.image.Normalization;
import dev.quant4j.data.image.Preprocessing;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.ValueInfo;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * DATA given as a folder of images (PNG, JPEG, BMP, GIF), read by quant4j-data's
 * {@link ImageFolder}: images directly in the folder are unlabelled; in class sub-folders
 * ({@code DIR/<class>/*.png}) each is labelled by its folder's position among the sorted folder names.
 * Only the file names are held: each batch decodes its own images, so memory does not grow with
 * the folder.
 *
 * <p>The model input gives the size and layout: {@code [N,C,H,W]} (NCHW), {@code [N,H,W,C]}
 * (NHWC) or {@code [N,H,W]} (grey), with C = 1 or 3 and H, W fixed. See {@link ImageOptions} for
 * the value mapping.
 */
final class ImageFolderData implements SampleData.Source {
    private final ImageFolder folder;
    private final long[] shape;
    private final long per;
    private final int channels;
    private final boolean channelsLast;
    private final float scale;
    private final float[] mean, std;

    private ImageFolderData(ImageFolder folder, long[] shape, int channels, boolean channelsLast, float scale, float[] mean, float[] std) {
        this.folder = folder;
        this.shape = shape;
        this.channels = channels;
        this.channelsLast = channelsLast;
        this.scale = scale;
        this.mean = mean;
        this.std = std;
        long p = 1;
        for (int i = 1; i < shape.length; i++) p *= shape[i];
        this.per = p;
    }

    /**
     * @param scale pixel (0..255) multiplier, or null for 1/255
     */
    static ImageFolderData open(Path dir, ValueInfo input, Float scale, ImageOptions o) {
        DataType dt = input.dtype() == null ? DataType.FLOAT32 : input.dtype();
        Shape s = input.shape();
        String what = "the model input '" + input.name() + "' " + (s == null ? "(no shape)" : ModelSummary.shapeText(s));
        if (dt != DataType.FLOAT32) throw new BadInputException(dir, "images feed float inputs; " + what + " is " + dt);
        if (s == null || (s.rank() != 3 && s.rank() != 4))
            throw new BadInputException(dir, "images feed inputs of shape [N,C,H,W], [N,H,W,C] or [N,H,W]; " + what + " is not one");
        for (int i = 1; i < s.rank(); i++)
            if (!s.dim(i).isKnown()) throw new BadInputException(dir, "images are resized to the input's fixed size; " + what + " has a free dimension " + i);
        long[] dims = new long[s.rank()];
        for (int i = 1; i < dims.length; i++) dims[i] = s.dim(i).value();
        Preprocessing.Layout layout = s.rank() == 3 ? Preprocessing.Layout.NCHW : o.layout != null ? o.layout : layoutOf(dims, dir, what);
        boolean last = layout == Preprocessing.Layout.NHWC;
        int c = s.rank() == 3 ? 1 : (int) (last ? dims[3] : dims[1]);
        long h = s.rank() == 3 ? dims[1] : last ? dims[1] : dims[2], w = s.rank() == 3 ? dims[2] : last ? dims[2] : dims[3];
        if (c != 1 && c != 3) throw new BadInputException(dir, "images have 1 or 3 channels; " + what + " as " + layout + " has " + c);
        if (h > 16384 || w > 16384) throw new BadInputException(dir, what + " is larger than images are resized to (16384)");
        float[] mean = o.meanOrDefault(), std = o.stdOrDefault();
        if ((mean.length != 1 && mean.length != c) || (std.length != 1 && std.length != c))
            throw new IllegalArgumentException("--mean and --std take one value or one per channel (" + c + "); got " + mean.length + " and " + std.length);
        for (float v : std) if (!(v > 0) || !Float.isFinite(v)) throw new IllegalArgumentException("--std values must be positive, got " + v);
        Preprocessing p = new Preprocessing((int) h, (int) w, o.fit, c, o.bgr, new Normalization.None(), 0, layout);
        ImageFolder f = ImageFolder.open(dir, p);
        long[] shape = dims.clone();
        shape[0] = f.size();
        return new ImageFolderData(f, shape, c, last, scale == null ? 1f / 255 : scale, mean, std);
    }

    /** NCHW when the second axis has 1 or 3 entries and the last does not, NHWC the other way round. */
    private static Preprocessing.Layout layoutOf(long[] dims, Path dir, String what) {
        boolean first = dims[1] == 1 || dims[1] == 3, last = dims[3] == 1 || dims[3] == 3;
        if (first && !last) return Preprocessing.Layout.NCHW;
        if (last && !first) return Preprocessing.Layout.NHWC;
        throw new BadInputException(dir, "cannot tell the channel axis of " + what + (first ? " (both ends could be channels)" : " (no axis of 1 or 3)")
                + "; give --layout nchw or nhwc");
    }

    /** The class index of each image, or null when every image lies directly in the folder. */
    long[] labels() {
        if (folder.classes().isEmpty()) return null;
        Path root = Path.of(folder.name());
        long[] out = new long[folder.size()];
        int loose = 0;
        for (int i = 0; i < out.length; i++) {
            Path parent = folder.file(i).getParent();
            out[i] = root.equals(parent) ? Sample.NO_LABEL : folder.classes().indexOf(parent.getFileName().toString());
            if (out[i] < 0) loose++;
        }
        if (loose == out.length) return null;
        if (loose > 0)
            throw new BadInputException(root, "holds " + loose + " images directly and " + (out.length - loose)
                    + " in class sub-folders; put every image in a class folder (labelled) or none (unlabelled)");
        return out;
    }

    @Override public long[] shape() { return shape.clone(); }

    /** Values of whole samples: {@code start} and {@code n} are multiples of the per-sample count. */
    @Override
    public float[] floats(long start, int n) {
        if (start % per != 0 || n % per != 0) throw new IllegalArgumentException("image data is read in whole samples");
        float[] out = new float[n];
        int first = (int) (start / per);
        for (int k = 0; k < n / per; k++) {
            int i = first + k;
            float[] v;
            try {
                v = folder.get(i).data();
            } catch (IllegalArgumentException e) {
                throw new DataFileException(folder.file(i), e.getMessage(), e);
            }
            int base = (int) (k * per), plane = (int) (per / channels);
            for (int j = 0; j < v.length; j++) {
                int c = channelsLast ? j % channels : j / plane;
                float m = mean[mean.length == 1 ? 0 : c], d = std[std.length == 1 ? 0 : c];
                out[base + j] = (v[j] * scale - m) / d;
            }
        }
        return out;
    }

    @Override
    public long[] longs(long start, int n) {
        throw new IllegalStateException("images feed float inputs only");
    }
}
