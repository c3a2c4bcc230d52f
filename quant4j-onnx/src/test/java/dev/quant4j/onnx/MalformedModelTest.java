package dev.quant4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.graph.Model;
import dev.quant4j.onnx.proto.OnnxProto.ModelProto;
import dev.quant4j.onnx.proto.OnnxProto.NodeProto;
import dev.quant4j.onnx.proto.OnnxProto.TensorProto;
import dev.quant4j.testkit.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files give a ModelFormatException naming the file and the culprit, and never anything else. */
class MalformedModelTest {
    @TempDir Path tmp;

    private ModelFormatException bad(Path file, String... mustMention) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxReader.read(file).close());
        assertTrue(e.getMessage().contains(file.getFileName().toString()), "message should name the file: " + e.getMessage());
        for (String s : mustMention) assertTrue(e.getMessage().contains(s), "message should mention '" + s + "': " + e.getMessage());
        return e;
    }

    @Test
    void truncatedRealModelIsRefusedAtEveryCut() throws Exception {
        Path src = TestData.require("models/ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx");
        byte[] all = Files.readAllBytes(src);
        Path f = tmp.resolve("cut.onnx");
        int cuts = 0;
        // The graph is field 7 of ModelProto and spans nearly the whole file: any cut inside it
        // leaves a length-delimited field short, which must be reported, not half-read.
        for (int i = 1; i <= 40; i++) {
            int at = (int) ((long) all.length * i / 41);
            Files.write(f, Arrays.copyOf(all, at));
            bad(f, "truncated");
            cuts++;
        }
        for (int at : new int[] {1, 2, 7, 100}) {
            Files.write(f, Arrays.copyOf(all, at));
            assertThrows(ModelFormatException.class, () -> OnnxReader.read(f).close());
        }
        assertEquals(40, cuts);
    }

    @Test
    void flippedBytesGiveTheClearExceptionOrAValidModel() throws Exception {
        for (String rel : new String[] {"models/ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx", "models/silero-vad/silero_vad.onnx"}) {
            byte[] all = Files.readAllBytes(TestData.require(rel));
            Random r = new Random(7);
            Path f = tmp.resolve("flip.onnx");
            int refused = 0;
            for (int trial = 0; trial < 60; trial++) {
                byte[] b = all.clone();
                // Structure sits between the weights: flip near the start (headers, nodes) half the time.
                int at = trial % 2 == 0 ? r.nextInt(Math.min(b.length, 4096)) : r.nextInt(b.length);
                b[at] ^= (byte) (1 << r.nextInt(8));
                Files.write(f, b);
                try (Model m = OnnxReader.read(f)) {
                    assertTrue(m.graph().nodes().size() > 0);
                } catch (ModelFormatException e) {
                    refused++;
                } catch (Throwable t) {
                    fail("flip at byte " + at + " of " + rel + " gave " + t, t);
                }
            }
            assertTrue(refused > 0, "no flip of " + rel + " was detected at all");
        }
    }

    @Test
    void garbageEmptyMissingAndFolder() throws Exception {
        Path empty = Files.write(tmp.resolve("empty.onnx"), new byte[0]);
        bad(empty, "empty");
        byte[] junk = new byte[1000];
        new Random(1).nextBytes(junk);
        bad(Files.write(tmp.resolve("junk.onnx"), junk));
        bad(tmp.resolve("missing.onnx"), "no such file");
        Path dir = Files.createDirectory(tmp.resolve("folder.onnx"));
        bad(dir);
        // A text file parses as an empty-ish message: no graph.
        bad(Files.writeString(tmp.resolve("text.onnx"), "hello"));
    }

    @Test
    void tensorProblemsNameTheTensor() throws Exception {
        bad(Protos.write(tmp.resolve("dtype.onnx"), Protos.addModel(Protos.floatTensor("w", 1, 2).setDataType(99).build(), 2)),
                "'w'", "unsupported element type 99");
        bad(Protos.write(tmp.resolve("complex.onnx"), Protos.addModel(Protos.floatTensor("w", 1, 2).setDataType(14).build(), 2)),
                "'w'", "COMPLEX64");
        bad(Protos.write(tmp.resolve("size.onnx"), Protos.addModel(Protos.floatTensor("w", 1, 2).setDims(0, 3).build(), 2)),
                "'w'", "raw_data has 8 bytes");
        bad(Protos.write(tmp.resolve("neg.onnx"), Protos.addModel(Protos.floatTensor("w", 1, 2).setDims(0, -2).build(), 2)),
                "'w'", "negative dimension");
        bad(Protos.write(tmp.resolve("huge.onnx"), Protos.addModel(Protos.floatTensor("w", 1, 2).setDims(0, 1L << 40).addDims(1L << 40).build(), 2)),
                "'w'", "overflows");
        bad(Protos.write(tmp.resolve("nodata.onnx"), Protos.addModel(Protos.floatTensor("w", 1, 2).clearRawData().build(), 2)),
                "'w'", "has no data");
    }

    @Test
    void graphProblemsNameTheNode() throws Exception {
        ModelProto ok = Protos.addModel(Protos.floatTensor("w", 1, 2).build(), 2);
        ModelProto dangling = ok.toBuilder().setGraph(ok.getGraph().toBuilder()
                .setNode(0, NodeProto.newBuilder().setName("add").setOpType("Add").addInput("x").addInput("nowhere").addOutput("y"))).build();
        bad(Protos.write(tmp.resolve("dangling.onnx"), dangling), "'add'", "'nowhere'");
        ModelProto noOp = ok.toBuilder().setGraph(ok.getGraph().toBuilder()
                .setNode(0, NodeProto.newBuilder().setName("add").addInput("x").addOutput("y"))).build();
        bad(Protos.write(tmp.resolve("noop.onnx"), noOp), "'add'", "no op type");
        ModelProto badAttr = ok.toBuilder().setGraph(ok.getGraph().toBuilder()
                .setNode(0, ok.getGraph().getNode(0).toBuilder().addAttribute(
                        dev.quant4j.onnx.proto.OnnxProto.AttributeProto.newBuilder().setName("alpha").setType(77)))).build();
        bad(Protos.write(tmp.resolve("attr.onnx"), badAttr), "'add'", "'alpha'", "unknown attribute type 77");
        bad(Protos.write(tmp.resolve("noopset.onnx"), ok.toBuilder().clearOpsetImport().build()), "operator set");
        // And the untouched model reads.
        try (Model m = OnnxReader.read(Protos.write(tmp.resolve("ok.onnx"), ok))) {
            assertEquals(1, m.graph().nodes().size());
        }
    }

    @Test
    void externalDataIsConfinedAndChecked() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("m"));
        byte[] data = new byte[64];
        Files.write(dir.resolve("w.bin"), data);
        Files.write(tmp.resolve("outside.bin"), data);
        TensorProto good = Protos.externalTensor("w", 4, "w.bin", 16, 16).build();
        try (Model m = OnnxReader.read(Protos.write(dir.resolve("good.onnx"), Protos.addModel(good, 4)))) {
            assertTrue(m.graph().initializers().get("w").isNative());
            assertTrue(m.sourceFiles().contains(dir.resolve("w.bin").toRealPath()));
        }
        bad(Protos.write(dir.resolve("up.onnx"), Protos.addModel(Protos.externalTensor("w", 4, "../outside.bin", 0, 16).build(), 4)),
                "'w'", "leaves the model's folder");
        bad(Protos.write(dir.resolve("abs.onnx"), Protos.addModel(Protos.externalTensor("w", 4, tmp.resolve("outside.bin").toString(), 0, 16).build(), 4)),
                "'w'", "absolute");
        Files.createSymbolicLink(dir.resolve("link.bin"), tmp.resolve("outside.bin"));
        bad(Protos.write(dir.resolve("link.onnx"), Protos.addModel(Protos.externalTensor("w", 4, "link.bin", 0, 16).build(), 4)),
                "'w'", "outside the model's folder");
        bad(Protos.write(dir.resolve("missing.onnx"), Protos.addModel(Protos.externalTensor("w", 4, "nope.bin", 0, 16).build(), 4)),
                "'w'", "'nope.bin' not found");
        bad(Protos.write(dir.resolve("past.onnx"), Protos.addModel(Protos.externalTensor("w", 4, "w.bin", 60, 16).build(), 4)),
                "'w'", "runs past the end");
        bad(Protos.write(dir.resolve("offset.onnx"), Protos.addModel(Protos.externalTensor("w", 4, "w.bin", 1000, 16).build(), 4)),
                "'w'", "outside");
        bad(Protos.write(dir.resolve("len.onnx"), Protos.addModel(Protos.externalTensor("w", 4, "w.bin", 0, 12).build(), 4)),
                "'w'", "does not match");
        TensorProto.Builder nonNumeric = Protos.externalTensor("w", 4, "w.bin", 0, 16);
        nonNumeric.setExternalData(1, nonNumeric.getExternalData(1).toBuilder().setValue("-5"));
        bad(Protos.write(dir.resolve("negoff.onnx"), Protos.addModel(nonNumeric.build(), 4)), "'w'", "offset '-5'");
    }
}
