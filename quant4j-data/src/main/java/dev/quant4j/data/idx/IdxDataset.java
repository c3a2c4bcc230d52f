package dev.quant4j.data.idx;

import dev.quant4j.data.DataFileException;
import dev.quant4j.data.Dataset;
import dev.quant4j.data.Sample;
import java.nio.file.Path;

/**
 * Labelled images from an IDX image file and its IDX label file (MNIST, Fashion-MNIST). Each
 * sample is {@code [1, rows, cols]}, pixel values scaled by {@code scale} (1/255 gives [0, 1]),
 * read from the mapped file when asked.
 */
public final class IdxDataset implements Dataset<Sample> {
    /** Fashion-MNIST's ten classes, in label order. */
    public static final String[] FASHION_MNIST_CLASSES = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"
    };

    private final IdxFile images;
    private final IdxFile labels;
    private final long[] shape;
    private final float scale;

    public IdxDataset(IdxFile images, IdxFile labels, float scale) {
        int[] d = images.dims();
        if (d.length != 3) throw new DataFileException(images.source(), "expected images [n, rows, cols], got " + java.util.Arrays.toString(d));
        if (labels.dims().length != 1 || labels.count() != images.count())
            throw new DataFileException(labels.source(), "has " + java.util.Arrays.toString(labels.dims()) + " labels for " + images.count() + " images in " + images.source());
        this.images = images;
        this.labels = labels;
        this.shape = new long[] {1, d[1], d[2]};
        this.scale = scale;
    }

    public static IdxDataset open(Path images, Path labels, float scale) {
        return new IdxDataset(IdxFile.open(images), IdxFile.open(labels), scale);
    }

    /**
     * Fashion-MNIST's {@code train} or {@code t10k} part in {@code dir} (the .gz files as
     * distributed), pixels scaled to [0, 1].
     */
    public static IdxDataset fashionMnist(Path dir, String part) {
        return open(dir.resolve(part + "-images-idx3-ubyte.gz"), dir.resolve(part + "-labels-idx1-ubyte.gz"), 1f / 255f);
    }

    @Override public int size() { return images.count(); }

    @Override
    public Sample get(int index) {
        return new Sample(images.item(index, scale), shape.clone(), labels.label(index));
    }

    @Override public String name() { return images.source(); }
}
