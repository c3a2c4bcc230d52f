package dev.quant4j.cli;

import dev.quant4j.core.DataType;
import dev.quant4j.data.idx.IdxFile;
import dev.quant4j.data.npy.Npy;
import dev.quant4j.data.npy.NpyArray;
import dev.quant4j.data.npy.Npz;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples for calibration and evaluation: the model's inputs, first axis = samples, and optional
 * integer labels. Files are mapped, not loaded: a batch reads only its own samples, so memory does
 * not grow with the data set. Accepted forms of DATA:
 *
 * <ul>
 *   <li>{@code FILE.npy} or an IDX file: the one input of a single-input model;
 *   <li>{@code FILE.npz}: one array per model input, named like the input, and optionally {@code labels};
 *   <li>a folder of images (see {@link ImageFolderData}), for a single-input image model;
 *   <li>{@code builtin:fashion}: the 1,000-image Fashion-MNIST slice shipped with quant4j (scaled to [0, 1], labelled).
 * </ul>
 *
 * Each sample is reshaped to the model input's shape without its batch axis when the element counts
 * agree (e.g. a [N,28,28] file for a [N,1,28,28] input).
 */
final class SampleData {
    static final String BUILTIN_FASHION = "builtin:fashion";

    /** Reads element values of one array: sample {@code i} holds elements [i*per, (i+1)*per). */
    interface Source {
        long[] shape();

        float[] floats(long start, int n);

        long[] longs(long start, int n);
    }

    private record Input(String name, DataType dtype, long[] sampleShape, Source source, long per) {}

    private final String name;
    private final List<Input> inputs;
    private final int offset, size;
    private final int[] labels;
    private final float scale;

    private SampleData(String name, List<Input> inputs, int offset, int size, int[] labels, float scale) {
        this.name = name;
        this.inputs = inputs;
        this.offset = offset;
        this.size = size;
        this.labels = labels;
        this.scale = scale;
    }

    /**
     * Samples [from, to) of this set as a set of its own: calibration and held-out evaluation parts
     * cut from one file this way never share a sample.
     */
    SampleData slice(int from, int to) {
        if (from < 0 || to > size || from >= to) throw new IllegalArgumentException("slice " + from + ".." + to + " of " + size + " samples");
        return new SampleData(name + "[" + (offset + from) + ":" + (offset + to) + "]", inputs, offset + from, to - from,
                labels == null ? null : Arrays.copyOfRange(labels, from, to), scale);
    }

    /** Index of this set's first sample in the file. */
    int offset() { return offset; }

    /** The data set's name as the user gave it. */
    String name() { return name; }

    int size() { return size; }

    boolean hasLabels() { return labels != null; }

    /** The labels of samples [0, size), or null. */
    int[] labels() { return labels == null ? null : labels.clone(); }

    /** Samples [from, to) as one batch of model inputs. */
    Map<String, Tensor> batch(int from, int to) {
        if (from < 0 || to > size || from >= to) throw new IndexOutOfBoundsException("samples " + from + ".." + to + " of " + size);
        Map<String, Tensor> out = new LinkedHashMap<>();
        int n = to - from;
        for (Input in : inputs) {
            long[] shape = new long[in.sampleShape().length + 1];
            shape[0] = n;
            System.arraycopy(in.sampleShape(), 0, shape, 1, in.sampleShape().length);
            int count = Math.toIntExact(n * in.per());
            long start = (offset + from) * in.per();
            Tensor t = switch (in.dtype()) {
                case FLOAT32 -> {
                    float[] v = in.source().floats(start, count);
                    if (scale != 1) for (int i = 0; i < v.length; i++) v[i] *= scale;
                    yield Tensor.of(v, shape);
                }
                case INT64 -> Tensor.ofLongs(in.source().longs(start, count), shape);
                case INT32 -> {
                    long[] l = in.source().longs(start, count);
                    int[] v = new int[l.length];
                    for (int i = 0; i < v.length; i++) v[i] = Math.toIntExact(l[i]);
                    yield Tensor.ofInts(v, shape);
                }
                default -> throw new IllegalStateException("unsupported input type " + in.dtype());
            };
            out.put(in.name(), t);
        }
        return out;
    }

    /**
     * Opens DATA for {@code model}.
     *
     * @param labelFile labels (NPY or IDX, one integer per sample), or null to use those inside DATA if any
     * @param scale     multiplies every float input value (e.g. 1/255 for bytes); builtin data sets bring their own
     * @param limit     use at most this many samples (the first ones)
     */
    static SampleData open(String data, Path labelFile, float scale, Model model, int limit) {
        return open(data, labelFile, scale, ImageOptions.defaults(), model, limit);
    }

    /**
     * As above, with {@code images} saying how a folder of images is read.
     *
     * @param scale multiplies every float input value; for an image folder it scales the 0..255 pixels (null: 1, or 1/255 for images)
     */
    static SampleData open(String data, Path labelFile, Float scale, ImageOptions images, Model model, int limit) {
        List<ValueInfo> feeds = model.graph().feedInputs();
        Map<String, Source> arrays = new LinkedHashMap<>();
        Source labelSource = null;
        Path file = null;
        if (data.equals(BUILTIN_FASHION)) {
            arrays.put(feeds.getFirst().name(), npy(resource("fashion-eval-images.npy")));
            labelSource = npy(resource("fashion-eval-labels.npy"));
            scale = 1f / 255;
            if (feeds.size() != 1) throw new IllegalArgumentException(data + " fits single-input models; this one has " + feeds.size() + " inputs");
        } else {
            if (data.startsWith("builtin:")) throw new IllegalArgumentException("unknown built-in data set '" + data + "'; known: " + BUILTIN_FASHION);
            file = Path.of(data);
            if (Files.isDirectory(file)) {
                if (feeds.size() != 1) throw new BadInputException(file, "a folder of images feeds single-input models; this one has inputs " + model.graph().inputNames());
                ImageFolderData img = ImageFolderData.open(file, feeds.getFirst(), scale, images);
                arrays.put(feeds.getFirst().name(), img);
                long[] l = img.labels();
                if (l != null) labelSource = longs(l);
                scale = 1f; // the image reader scaled the pixels itself
            } else {
                if (!Files.isRegularFile(file)) throw new BadInputException(file, "no such file");
                labelSource = openFile(file, model, arrays);
            }
        }
        if (labelFile != null) labelSource = lower(labelFile).endsWith(".npy") ? npy(Npy.read(labelFile)) : idx(IdxFile.open(labelFile));
        String where = file != null ? file.toString() : data;
        List<Input> inputs = new ArrayList<>();
        long count = -1;
        for (ValueInfo v : feeds) {
            Source s = arrays.get(v.name());
            long[] shape = s.shape();
            if (shape.length < 1 || shape[0] < 1) throw new BadInputException(Path.of(where), "array '" + v.name() + "' holds no samples (shape " + Arrays.toString(shape) + ")");
            if (count >= 0 && shape[0] != count)
                throw new BadInputException(Path.of(where), "array '" + v.name() + "' holds " + shape[0] + " samples, the others " + count);
            count = shape[0];
            long per = 1;
            for (int i = 1; i < shape.length; i++) per = Math.multiplyExact(per, shape[i]);
            DataType dt = v.dtype() == null ? DataType.FLOAT32 : v.dtype();
            if (dt != DataType.FLOAT32 && dt != DataType.INT64 && dt != DataType.INT32)
                throw new IllegalArgumentException("model input " + v.name() + " is " + dt + "; data files can feed FLOAT32, INT64 and INT32 inputs");
            inputs.add(new Input(v.name(), dt, sampleShape(v, shape, per, where), s, per));
        }
        int n = (int) Math.min(count, Math.max(1, limit));
        int[] labels = null;
        if (labelSource != null) {
            String lsrc = labelFile != null ? labelFile.toString() : where;
            long[] ls = labelSource.shape();
            if (ls.length != 1 || ls[0] != count)
                throw new BadInputException(Path.of(lsrc), "labels must be one integer per sample (" + count + "), got shape " + Arrays.toString(ls));
            long[] l = labelSource.longs(0, n);
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                if (l[i] < 0 || l[i] > Integer.MAX_VALUE) throw new BadInputException(Path.of(lsrc), "label " + i + " is " + l[i]);
                labels[i] = (int) l[i];
            }
        }
        return new SampleData(data, inputs, 0, n, labels, scale == null ? 1f : scale);
    }

    /** Puts the arrays of a data file into {@code arrays}; returns its labels array, or null. */
    private static Source openFile(Path file, Model model, Map<String, Source> arrays) {
        List<ValueInfo> feeds = model.graph().feedInputs();
        String lower = lower(file);
        Source labels = null;
        if (lower.endsWith(".npz")) {
            for (var e : Npz.read(file).entrySet()) {
                if (e.getKey().equals("labels")) labels = npy(e.getValue());
                else arrays.put(e.getKey(), npy(e.getValue()));
            }
            for (ValueInfo v : feeds)
                if (!arrays.containsKey(v.name())) throw new BadInputException(file, "no array named '" + v.name() + "' (a model input); it holds " + arrays.keySet());
        } else {
            if (feeds.size() != 1)
                throw new BadInputException(file, "one array for a model with " + feeds.size() + " inputs; give an NPZ with arrays named " + model.graph().inputNames());
            arrays.put(feeds.getFirst().name(), lower.endsWith(".npy") ? npy(Npy.read(file)) : idx(IdxFile.open(file)));
        }
        return labels;
    }

    private static String lower(Path p) { return p.getFileName().toString().toLowerCase(java.util.Locale.ROOT); }

    /** The model's per-sample shape when its element count matches the file's, else the file's own. */
    private static long[] sampleShape(ValueInfo v, long[] fileShape, long per, String where) {
        long[] own = Arrays.copyOfRange(fileShape, 1, fileShape.length);
        Shape s = v.shape();
        if (s == null || s.rank() < 1) return own;
        long[] model = new long[s.rank() - 1];
        boolean known = true;
        long prod = 1;
        for (int i = 1; i < s.rank(); i++) {
            known &= s.dim(i).isKnown();
            model[i - 1] = known ? s.dim(i).value() : -1;
            if (known) prod *= model[i - 1];
        }
        if (!known) {
            if (own.length != model.length)
                throw new BadInputException(Path.of(where), "array '" + v.name() + "' has shape " + Arrays.toString(fileShape) + "; the model input is " + ModelSummary.shapeText(s));
            return own;
        }
        if (prod != per)
            throw new BadInputException(Path.of(where), "array '" + v.name() + "' has " + per + " values per sample (shape " + Arrays.toString(fileShape)
                    + "); the model input " + ModelSummary.shapeText(s) + " needs " + prod);
        return model;
    }

    private static NpyArray resource(String file) {
        String path = "/dev/quant4j/models/" + file;
        try (InputStream in = SampleData.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("the built-in data " + path + " is missing from the class path (quant4j-train's resources)");
            return Npy.parse(MemorySegment.ofArray(in.readAllBytes()), "classpath:" + path);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    private static Source longs(long[] values) {
        return new Source() {
            @Override public long[] shape() { return new long[] {values.length}; }
            @Override public float[] floats(long start, int n) { throw new IllegalStateException("labels are integers"); }
            @Override public long[] longs(long start, int n) { return Arrays.copyOfRange(values, (int) start, (int) start + n); }
        };
    }

    private static Source npy(NpyArray a) {
        return new Source() {
            @Override public long[] shape() { return a.shape(); }
            @Override public float[] floats(long start, int n) { return a.floats(start, n); }
            @Override public long[] longs(long start, int n) {
                long[] out = new long[n];
                for (int i = 0; i < n; i++) out[i] = a.getLong(start + i);
                return out;
            }
        };
    }

    private static Source idx(IdxFile f) {
        return new Source() {
            @Override public long[] shape() { return Arrays.stream(f.dims()).asLongStream().toArray(); }
            @Override public float[] floats(long start, int n) {
                float[] out = new float[n];
                for (int i = 0; i < n; i++) out[i] = (float) f.get(start + i);
                return out;
            }
            @Override public long[] longs(long start, int n) {
                long[] out = new long[n];
                for (int i = 0; i < n; i++) out[i] = (long) f.get(start + i);
                return out;
            }
        };
    }
}
