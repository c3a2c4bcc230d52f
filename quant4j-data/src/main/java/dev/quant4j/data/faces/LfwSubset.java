package dev.quant4j.data.faces;

import dev.quant4j.data.DataFileException;
import dev.quant4j.data.Dataset;
import dev.quant4j.data.Sample;
import dev.quant4j.data.image.FloatImage;
import dev.quant4j.data.image.Preprocessing;
import dev.quant4j.data.npy.Npy;
import dev.quant4j.data.npy.NpyArray;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * scikit-image's {@code lfw_subset.npy}: 200 grey 25×25 images as float64 in [0, 1]; the first
 * 100 are faces (label 1), the last 100 are not (label 0). Samples are {@code [1, 25, 25]}, read
 * from the mapped file when asked.
 */
public final class LfwSubset implements Dataset<Sample> {
    public static final int FACE = 1, NOT_FACE = 0;

    private final NpyArray array;
    private final int h, w;

    private LfwSubset(NpyArray array) {
        this.array = array;
        long[] s = array.shape();
        this.h = (int) s[1];
        this.w = (int) s[2];
    }

    public static LfwSubset open(Path file) {
        NpyArray a = Npy.read(file);
        long[] s = a.shape();
        if (s.length != 3 || s[0] != 200 || s[1] < 1 || s[2] < 1 || s[1] * s[2] > 1 << 20)
            throw new DataFileException(file, "expected 200 grey images [200, h, w], got " + Arrays.toString(s));
        return new LfwSubset(a);
    }

    @Override public int size() { return 200; }

    public FloatImage image(int index) {
        if (index < 0 || index >= 200) throw new IndexOutOfBoundsException(index);
        return new FloatImage(1, h, w, array.floats((long) index * h * w, h * w));
    }

    public static int label(int index) {
        return index < 100 ? FACE : NOT_FACE;
    }

    @Override
    public Sample get(int index) {
        return new Sample(image(index).data(), new long[] {1, h, w}, label(index));
    }

    /** The images as BlazeFace front-128 takes them: 128×128, [−1, 1], grey → 3 channels, NHWC. */
    public Dataset<Sample> blazeFace() {
        Preprocessing p = Preprocessing.blazeFace(1f);
        LfwSubset self = this;
        return new Dataset<>() {
            @Override public int size() { return 200; }
            @Override public Sample get(int i) { return p.apply(self.image(i), label(i), null); }
            @Override public String name() { return array.source() + " for BlazeFace"; }
        };
    }

    @Override public String name() { return array.source(); }
}
