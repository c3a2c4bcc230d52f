package dev.quant4j.data.image;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.data.DataFileException;
import dev.quant4j.data.Sample;
import dev.quant4j.testkit.TestData;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessingTest {
    @TempDir Path tmp;

    static FloatImage ramp(int c, int h, int w) {
        float[] d = new float[c * h * w];
        for (int i = 0; i < d.length; i++) d[i] = i % 256;
        return new FloatImage(c, h, w, d);
    }

    @Test
    void nhwcIsTheTransposeOfNchw() {
        FloatImage img = ramp(3, 4, 5);
        Normalization none = new Normalization.None();
        Sample chw = new Preprocessing(0, 0, Preprocessing.Fit.NONE, 0, false, none, 0, Preprocessing.Layout.NCHW).apply(img, 1, null);
        Sample hwc = new Preprocessing(0, 0, Preprocessing.Fit.NONE, 0, false, none, 0, Preprocessing.Layout.NHWC).apply(img, 1, null);
        assertArrayEquals(new long[] {3, 4, 5}, chw.shape());
        assertArrayEquals(new long[] {4, 5, 3}, hwc.shape());
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 5; x++) assertEquals(img.get(c, y, x), hwc.data()[(y * 5 + x) * 3 + c]);
        assertArrayEquals(img.data(), chw.data());
    }

    @Test
    void normalizationsAndChannels() {
        FloatImage grey = new FloatImage(1, 1, 2, new float[] {0, 255});
        Sample s = new Preprocessing(0, 0, Preprocessing.Fit.NONE, 3, false, new Normalization.MeanStd(255, new float[] {0.5f}, new float[] {0.5f}), 0,
                Preprocessing.Layout.NCHW).apply(grey, -1, null);
        assertArrayEquals(new float[] {-1, 1, -1, 1, -1, 1}, s.data(), 1e-6f);
        FloatImage rgb = new FloatImage(3, 1, 1, new float[] {255, 0, 51});
        Sample imagenet = new Preprocessing(0, 0, Preprocessing.Fit.NONE, 0, true,
                new Normalization.MeanStd(255, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}), 0,
                Preprocessing.Layout.NCHW).apply(rgb, -1, null);
        // bgr: channel 0 is now blue (51), normalized with the first mean/std
        assertEquals((0.2 - 0.485) / 0.229, imagenet.data()[0], 1e-5);
        assertEquals((1.0 - 0.406) / 0.225, imagenet.data()[2], 1e-5);
        FloatImage luma = rgb.toGrey();
        assertEquals(0.299 * 255 + 0.114 * 51, luma.data()[0], 1e-4);
        Sample range = new Preprocessing(0, 0, Preprocessing.Fit.NONE, 0, false, new Normalization.Range(1, -1, 1), 0, Preprocessing.Layout.NCHW)
                .apply(new FloatImage(1, 1, 3, new float[] {0, 0.25f, 1}), -1, null);
        assertArrayEquals(new float[] {-1, -0.5f, 1}, range.data(), 1e-6f);
    }

    @Test
    void padFitsInsideAndPadsRightAndBottom() {
        FloatImage wide = FloatImage.blank(1, 10, 40, 100);
        Preprocessing p = new Preprocessing(20, 20, Preprocessing.Fit.PAD, 0, false, new Normalization.Range(255, 0, 1), -7, Preprocessing.Layout.NCHW);
        FloatImage out = p.applyToImage(wide);
        assertEquals(20, out.height());
        assertEquals(20, out.width());
        assertEquals(100 / 255f, out.get(0, 4, 19), 1e-6f); // content: 5 rows × 20 cols
        assertEquals(-7f, out.get(0, 5, 0));              // padding, in the normalized scale
        assertEquals(100f, wide.get(0, 0, 0), "the input image is not modified");
    }

    @Test
    void cropCoversAndCutsTheCentre() {
        float[] d = new float[10 * 30];
        for (int y = 0; y < 10; y++) for (int x = 0; x < 30; x++) d[y * 30 + x] = x;
        Preprocessing p = new Preprocessing(10, 10, Preprocessing.Fit.CROP, 0, false, new Normalization.None(), 0, Preprocessing.Layout.NCHW);
        FloatImage out = p.applyToImage(new FloatImage(1, 10, 30, d));
        assertEquals(10, out.width());
        assertEquals(10f, out.get(0, 0, 0));
        assertEquals(19f, out.get(0, 9, 9));
    }

    @Test
    void greyPngIsReadExactlyAt8And16Bits() throws IOException {
        BufferedImage g8 = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = g8.getRaster();
        int[] v = {0, 1, 50, 128, 200, 255};
        for (int i = 0; i < 6; i++) r.setSample(i % 3, i / 3, 0, v[i]);
        Path f = tmp.resolve("g8.png");
        ImageIO.write(g8, "png", f.toFile());
        FloatImage back = Images.read(f);
        assertEquals(1, back.channels());
        for (int i = 0; i < 6; i++) assertEquals(v[i], back.data()[i], "grey level " + v[i] + " unchanged");
        BufferedImage g16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setSample(0, 0, 0, 65535);
        g16.getRaster().setSample(1, 0, 0, 257 * 100);
        Path f16 = tmp.resolve("g16.png");
        ImageIO.write(g16, "png", f16.toFile());
        assertArrayEquals(new float[] {255, 100}, Images.read(f16).data(), 1e-3f);
    }

    @Test
    void realPhotographsAndScans() {
        FloatImage astro = Images.read(TestData.require("datasets/images/astronaut.png"));
        assertEquals(3, astro.channels());
        assertEquals(512, astro.height());
        FloatImage coffee = Images.read(TestData.require("datasets/images/coffee.png"));
        assertEquals(400, coffee.height());
        assertEquals(600, coffee.width());
        FloatImage page = Images.read(TestData.require("datasets/images/page.png"));
        assertEquals(1, page.channels());
        assertEquals(191, page.height());
        assertEquals(384, page.width());
    }

    @Test
    void imageFolderLabelsBySubfolderAndNamesBadFiles() throws IOException {
        for (String cls : new String[] {"cat", "dog"})
            for (int i = 0; i < 2; i++) {
                Files.createDirectories(tmp.resolve("set/" + cls));
                BufferedImage b = new BufferedImage(8 + i, 6, BufferedImage.TYPE_INT_RGB);
                b.setRGB(0, 0, 0xFF8000);
                ImageIO.write(b, "png", tmp.resolve("set/" + cls + "/" + i + ".png").toFile());
            }
        Preprocessing p = new Preprocessing(4, 4, Preprocessing.Fit.STRETCH, 0, false, new Normalization.Range(255, 0, 1), 0, Preprocessing.Layout.NHWC);
        ImageFolder ds = ImageFolder.open(tmp.resolve("set"), p);
        assertEquals(java.util.List.of("cat", "dog"), ds.classes());
        assertEquals(4, ds.size());
        assertEquals(0, ds.get(1).label());
        assertEquals(1, ds.get(2).label());
        assertArrayEquals(new long[] {4, 4, 3}, ds.get(3).shape());
        // a flat folder: unlabelled; JPEG decodes through the same path
        Files.createDirectories(tmp.resolve("flat"));
        BufferedImage grey = new BufferedImage(10, 6, BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 0; x < 10; x++) for (int y = 0; y < 6; y++) grey.getRaster().setSample(x, y, 0, 200);
        ImageIO.write(grey, "jpg", tmp.resolve("flat/a.jpg").toFile());
        ImageFolder flat = ImageFolder.open(tmp.resolve("flat"), p);
        assertEquals(1, flat.size());
        assertTrue(flat.classes().isEmpty());
        Sample j = flat.get(0);
        assertEquals(Sample.NO_LABEL, j.label());
        assertArrayEquals(new long[] {4, 4, 1}, j.shape());
        assertEquals(200 / 255f, j.data()[5], 2 / 255f); // JPEG is lossy, but a flat grey survives
        Path bad = tmp.resolve("set/dog/1.png");
        byte[] all = Files.readAllBytes(bad);
        Files.write(bad, java.util.Arrays.copyOf(all, 30));
        DataFileException e = assertThrows(DataFileException.class, () -> ds.get(3));
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
    }
}
