package dev.quant4j.data.image;

import dev.quant4j.data.DataFileException;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reads PNG/JPEG (anything javax.imageio reads) into {@link FloatImage}s on the 0..255 scale. */
public final class Images {
    private Images() {}

    public static FloatImage read(Path file) {
        if (!Files.isRegularFile(file)) throw new DataFileException(file, "no such file");
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DataFileException(file, "cannot decode the image (truncated or corrupt?)", e);
        }
        if (img == null) throw new DataFileException(file, "not an image format javax.imageio can read");
        return toFloat(img);
    }

    /**
     * The image's colour (or grey) samples, alpha dropped, scaled to 0..255 whatever the bit depth.
     * Component and direct colour models are read from the raster, so grey stays exactly grey
     * (going through {@code getRGB} would pass it through a colour-space conversion); indexed
     * images go through their palette.
     */
    public static FloatImage toFloat(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        ColorModel cm = img.getColorModel();
        if (cm instanceof ComponentColorModel || cm instanceof DirectColorModel) {
            int colours = cm.getNumColorComponents();
            Raster r = img.getRaster();
            float[] d = new float[colours * h * w];
            float[] row = new float[w];
            for (int c = 0; c < colours; c++) {
                float scale = 255f / ((1L << cm.getComponentSize(c)) - 1);
                for (int y = 0; y < h; y++) {
                    r.getSamples(0, y, w, 1, c, row);
                    for (int x = 0; x < w; x++) d[(c * h + y) * w + x] = row[x] * scale;
                }
            }
            return new FloatImage(colours, h, w, d);
        }
        float[] d = new float[3 * h * w];
        int n = h * w;
        boolean grey = true;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y), i = y * w + x;
                d[i] = (rgb >> 16) & 0xFF;
                d[n + i] = (rgb >> 8) & 0xFF;
                d[2 * n + i] = rgb & 0xFF;
                grey &= d[i] == d[n + i] && d[i] == d[2 * n + i];
            }
        return grey ? new FloatImage(1, h, w, java.util.Arrays.copyOf(d, n)) : new FloatImage(3, h, w, d);
    }
}
