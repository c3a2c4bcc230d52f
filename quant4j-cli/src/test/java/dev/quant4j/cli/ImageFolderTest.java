package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.core.DataType;
import dev.quant4j.data.image.Preprocessing;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DATA as a folder of images: the shipped Fashion slice written as PNGs feeds exactly the tensors
 * the shipped arrays feed (same calibration digest, same quantized model, same accuracy); colour
 * images resized and normalized match a float64 scalar reference in both layouts; bad folders fail
 * with the folder or file named.
 */
class ImageFolderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The first n images of the shipped slice as 8-bit grey PNGs: flat (unlabelled) or in folders c0..c9 by label. */
    private static Path writeFashion(Path dir, int n, boolean classFolders) throws Exception {
        float[] x = Shipped.images(n);
        long[] y = Shipped.labels(n);
        Files.createDirectories(dir);
        if (classFolders) for (int c = 0; c < 10; c++) Files.createDirectories(dir.resolve("c" + c));
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 784; p++) img.getRaster().setSample(p % 28, p / 28, 0, Math.round(x[i * 784 + p] * 255));
            Path f = (classFolders ? dir.resolve("c" + y[i]) : dir).resolve(String.format("img_%04d.png", i));
            ImageIO.write(img, "png", f.toFile());
        }
        return dir;
    }

    private static JsonNode json(Cli.Result r) throws Exception {
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(r.out());
    }

    @Test
    void pngFolderCalibratesLikeTheShippedArrays(@TempDir Path tmp) throws Exception {
        Path model = Shipped.fashionModel(tmp), pngs = writeFashion(tmp.resolve("flat"), 64, false);
        Path a = tmp.resolve("from-folder.onnx"), b = tmp.resolve("from-arrays.onnx");
        JsonNode fromFolder = json(Cli.run("quantize", model.toString(), "-o", a.toString(), "--mode", "static", "--calibration", pngs.toString(), "--json"));
        JsonNode fromArrays = json(Cli.run("quantize", model.toString(), "-o", b.toString(), "--mode", "static", "--calibration", "builtin:fashion",
                "--samples", "64", "--json"));
        assertEquals(64, fromFolder.get("calibrationSamples").asInt());
        // the digest covers every fed tensor's bytes: the PNGs decode, scale by 1/255 and lay out exactly like the arrays
        assertEquals(fromArrays.get("calibrationSha256").asText(), fromFolder.get("calibrationSha256").asText());
        try (Model ma = OnnxReader.read(a); Model mb = OnnxReader.read(b)) {
            for (var e : mb.graph().initializers().entrySet()) assertTrue(e.getValue().contentEquals(ma.graph().initializers().get(e.getKey())), e.getKey());
        }
        JsonNode bench = json(Cli.run("bench", model.toString(), a.toString(), "--data", pngs.toString(), "--batch", "4", "--warmup", "0", "--runs", "2", "--json"));
        assertEquals("first 4 samples of " + pngs, bench.get("inputs").asText());
        assertEquals(2, bench.get("rows").size());
    }

    @Test
    void classFoldersCalibrateQuantizeAndEvaluate(@TempDir Path tmp) throws Exception {
        Path model = Shipped.fashionModel(tmp), dir = writeFashion(tmp.resolve("classes"), 100, true);
        Path ranges = tmp.resolve("ranges.json"), q = tmp.resolve("q.onnx");
        Cli.Result c = Cli.run("calibrate", model.toString(), "--data", dir.toString(), "-o", ranges.toString());
        assertEquals(0, c.code(), c.err());
        assertEquals(100, JSON.readTree(ranges.toFile()).get("samples").asInt());
        Cli.Result qr = Cli.run("quantize", model.toString(), "-o", q.toString(), "--mode", "static", "--ranges", ranges.toString());
        assertEquals(0, qr.code(), qr.err());
        JsonNode folder = json(Cli.run("eval", q.toString(), "--data", dir.toString(), "--reference", model.toString(), "--json"));
        JsonNode arrays = json(Cli.run("eval", q.toString(), "--data", "builtin:fashion", "--samples", "100", "--reference", model.toString(), "--json"));
        assertTrue(folder.get("task").asText().contains("top-1"), folder.toString());
        assertEquals(100, folder.get("value").get("n").asInt());
        // the same 100 images, grouped by class instead of in file order: the labels come from the folders, the accuracies agree
        assertEquals(arrays.get("value").get("value").asDouble(), folder.get("value").get("value").asDouble(), 1e-12);
        assertEquals(arrays.get("referenceValue").get("value").asDouble(), folder.get("referenceValue").get("value").asDouble(), 1e-12);
        assertTrue(folder.get("value").get("value").asDouble() > 0.7, folder.toString());
    }

    /** A model whose one input has {@code shape} (Identity to its output). */
    private static Model identity(long... shape) {
        Graph g = new Graph("id");
        g.inputs().add(ValueInfo.tensor("x", DataType.FLOAT32, shape));
        g.outputs().add(ValueInfo.tensor("y", DataType.FLOAT32, shape));
        g.addNode(Node.of("Identity", "id", List.of("x"), List.of("y")));
        Model m = new Model(g);
        m.opsets().put("", 13L);
        m.setIrVersion(8);
        return m;
    }

    /** Half-pixel bilinear sample of plane {@code c} at output (y, x), in float64 (OpenCV INTER_LINEAR, no antialiasing). */
    private static double bilinear(int[][][] rgb, int c, int y, int x, int outH, int outW) {
        int inH = rgb.length, inW = rgb[0].length;
        double sy = Math.clamp((y + 0.5) * inH / outH - 0.5, 0, inH - 1), sx = Math.clamp((x + 0.5) * inW / outW - 0.5, 0, inW - 1);
        int y0 = (int) Math.floor(sy), x0 = (int) Math.floor(sx), y1 = Math.min(y0 + 1, inH - 1), x1 = Math.min(x0 + 1, inW - 1);
        double fy = sy - y0, fx = sx - x0;
        double top = rgb[y0][x0][c] * (1 - fx) + rgb[y0][x1][c] * fx, bottom = rgb[y1][x0][c] * (1 - fx) + rgb[y1][x1][c] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    @Test
    void colourImagesMatchAFloat64Reference(@TempDir Path tmp) throws Exception {
        int h = 23, w = 37, out = 16;
        SplittableRandom r = new SplittableRandom(3);
        int[][][] rgb = new int[h][w][3];
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) rgb[y][x][c] = r.nextInt(256);
                img.setRGB(x, y, rgb[y][x][0] << 16 | rgb[y][x][1] << 8 | rgb[y][x][2]);
            }
        Path dir = Files.createDirectories(tmp.resolve("photos"));
        ImageIO.write(img, "png", dir.resolve("a.png").toFile());
        double[] mean = {0.485, 0.456, 0.406}, std = {0.229, 0.224, 0.225};
        ImageOptions o = new ImageOptions();
        o.mean = new float[] {0.485f, 0.456f, 0.406f};
        o.std = new float[] {0.229f, 0.224f, 0.225f};
        for (boolean nhwc : new boolean[] {false, true}) {
            try (Model m = nhwc ? identity(1, out, out, 3) : identity(1, 3, out, out)) {
                Tensor t = SampleData.open(dir.toString(), null, null, o, m, 10).batch(0, 1).get("x");
                assertEquals(List.of(1L, (long) (nhwc ? out : 3), (long) out, (long) (nhwc ? 3 : out)), java.util.Arrays.stream(t.shape()).boxed().toList());
                float[] v = t.floats();
                double worst = 0;
                for (int c = 0; c < 3; c++)
                    for (int y = 0; y < out; y++)
                        for (int x = 0; x < out; x++) {
                            double ref = (bilinear(rgb, c, y, x, out, out) / 255 - mean[c]) / std[c];
                            int i = nhwc ? (y * out + x) * 3 + c : (c * out + y) * out + x;
                            worst = Math.max(worst, Math.abs(v[i] - ref));
                        }
                assertTrue(worst < 2e-5, (nhwc ? "NHWC" : "NCHW") + " worst difference " + worst);
            }
        }
        // a grey model takes BT.601 luma of the colour image
        try (Model m = identity(1, 1, out, out)) {
            float[] v = SampleData.open(dir.toString(), null, null, ImageOptions.defaults(), m, 10).batch(0, 1).get("x").floats();
            double worst = 0;
            for (int y = 0; y < out; y++)
                for (int x = 0; x < out; x++) {
                    double ref = (0.299 * bilinear(rgb, 0, y, x, out, out) + 0.587 * bilinear(rgb, 1, y, x, out, out) + 0.114 * bilinear(rgb, 2, y, x, out, out)) / 255;
                    worst = Math.max(worst, Math.abs(v[y * out + x] - ref));
                }
            assertTrue(worst < 1e-4, "grey worst difference " + worst);
        }
    }

    @Test
    void badFoldersNameTheFolderOrFile(@TempDir Path tmp) throws Exception {
        Path model = Shipped.fashionModel(tmp), ranges = tmp.resolve("r.json");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "no images here");
        Cli.Result e = Cli.run("calibrate", model.toString(), "--data", empty.toString(), "-o", ranges.toString());
        assertEquals(Quant4j.BAD_INPUT, e.code(), e.err());
        assertTrue(e.err().contains(empty.toString()) && e.err().contains("no images"), e.err());

        Path broken = writeFashion(tmp.resolve("broken"), 3, false);
        Files.write(broken.resolve("img_0001.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Cli.Result b = Cli.run("calibrate", model.toString(), "--data", broken.toString(), "-o", ranges.toString());
        assertEquals(Quant4j.BAD_INPUT, b.code(), b.err());
        assertTrue(b.err().contains(broken.resolve("img_0001.png").toString()), b.err());
        assertTrue(!Files.exists(ranges), "nothing written on failure");

        Path flatModel = tmp.resolve("flat.onnx");
        try (Model m = identity(1, 64)) { OnnxWriter.write(m, flatModel); }
        Cli.Result s = Cli.run("calibrate", flatModel.toString(), "--data", broken.toString(), "--all-values", "-o", ranges.toString());
        assertEquals(Quant4j.BAD_INPUT, s.code(), s.err());
        assertTrue(s.err().contains(broken.toString()) && s.err().contains("[N,C,H,W]"), s.err());

        Path mixed = writeFashion(tmp.resolve("mixed"), 12, true);
        Files.copy(mixed.resolve("c9").resolve("img_0000.png"), mixed.resolve("loose.png"));
        Cli.Result x = Cli.run("calibrate", model.toString(), "--data", mixed.toString(), "-o", ranges.toString());
        assertEquals(Quant4j.BAD_INPUT, x.code(), x.err());
        assertTrue(x.err().contains(mixed.toString()) && x.err().contains("class sub-folders"), x.err());
    }

    @Test
    void layoutIsAskedForWhenTheShapeDoesNotTellIt(@TempDir Path tmp) throws Exception {
        Path dir = writeFashion(tmp.resolve("few"), 2, false);
        try (Model m = identity(1, 3, 8, 3)) {
            var ex = org.junit.jupiter.api.Assertions.assertThrows(BadInputException.class,
                    () -> SampleData.open(dir.toString(), null, null, ImageOptions.defaults(), m, 10));
            assertTrue(ex.getMessage().contains("--layout"), ex.getMessage());
            ImageOptions o = new ImageOptions();
            o.layout = Preprocessing.Layout.NHWC;
            assertEquals(List.of(1L, 3L, 8L, 3L), java.util.Arrays.stream(SampleData.open(dir.toString(), null, null, o, m, 10).batch(0, 1).get("x").shape())
                    .boxed().toList());
        }
    }
}
