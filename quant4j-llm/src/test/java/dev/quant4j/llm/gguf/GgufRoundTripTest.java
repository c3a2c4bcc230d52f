package dev.quant4j.llm.gguf;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufRoundTripTest {
    @TempDir Path tmp;

    static List<Path> vocabFiles() throws IOException {
        Path dir = TestData.require("llm/gguf-vocab");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".gguf")).sorted().toList();
        }
    }

    @Test
    void realVocabularyFilesAreReadAndRewrittenByteForByte() throws IOException {
        List<Path> files = vocabFiles();
        assertEquals(3, files.size(), "gguf-vocab files");
        for (Path f : files) {
            Path out = tmp.resolve(f.getFileName());
            try (GgufFile g = GgufFile.open(f)) {
                assertEquals(3, g.version(), f + " version");
                assertTrue(g.tensors().isEmpty(), f + " holds only metadata");
                Map<String, Object> m = g.metadata();
                assertInstanceOf(String.class, m.get("general.architecture"), f.toString());
                List<?> tokens = (List<?>) m.get("tokenizer.ggml.tokens");
                assertTrue(tokens.size() > 1000, f + " vocabulary size " + tokens.size());
                assertEquals(GgufValueType.STRING, g.typedMetadata().get("tokenizer.ggml.tokens").elementType());
                new GgufWriter().copyMetadata(g, k -> true).write(out);
                // written with the same keys, order and types, the file must be the original, byte for byte
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out), f + " rewritten differs from the original");
            }
            try (GgufFile a = GgufFile.open(f); GgufFile b = GgufFile.open(out)) {
                assertEquals(a.typedMetadata(), b.typedMetadata());
            }
        }
    }

    @Test
    void llamaVocabularyHasTheKnownSpecialTokens() throws IOException {
        Path f = vocabFiles().stream().filter(p -> p.toString().contains("llama-spm")).findFirst().orElseThrow();
        try (GgufFile g = GgufFile.open(f)) {
            Map<String, Object> m = g.metadata();
            assertEquals("llama", m.get("tokenizer.ggml.model"));
            List<?> tokens = (List<?>) m.get("tokenizer.ggml.tokens");
            assertEquals(32000, tokens.size());
            // SentencePiece llama vocabulary: 0 <unk>, 1 <s>, 2 </s>, then the 256 byte tokens
            assertEquals("<unk>", tokens.get(0));
            assertEquals("<s>", tokens.get(1));
            assertEquals("</s>", tokens.get(2));
            assertEquals("<0x00>", tokens.get(3));
            assertEquals(32000, ((List<?>) m.get("tokenizer.ggml.scores")).size());
            assertEquals(GgufValueType.FLOAT32, g.typedMetadata().get("tokenizer.ggml.scores").elementType());
        }
    }

    @Test
    void everyValueTypeAndTensorTypeRoundTrips() throws IOException {
        Random r = new Random(5);
        GgufWriter w = new GgufWriter()
                .put("general.alignment", GgufValue.uint32(64))
                .put("u8", GgufValue.of(GgufValueType.UINT8, 255))
                .put("i8", GgufValue.of(GgufValueType.INT8, (byte) -7))
                .put("u16", GgufValue.of(GgufValueType.UINT16, 65535))
                .put("i16", GgufValue.of(GgufValueType.INT16, (short) -300))
                .put("u32", GgufValue.uint32(0xFFFF_FFFFL))
                .put("i32", GgufValue.int32(-5))
                .put("f32", GgufValue.float32(1.25f))
                .put("bool", GgufValue.bool(true))
                .put("str", GgufValue.string("héllo ✓"))
                .put("u64", GgufValue.of(GgufValueType.UINT64, -1L))
                .put("i64", GgufValue.of(GgufValueType.INT64, Long.MIN_VALUE))
                .put("f64", GgufValue.of(GgufValueType.FLOAT64, Math.PI))
                .put("arr.i32", GgufValue.array(GgufValueType.INT32, List.of(1, 2, 3)))
                .put("arr.str", GgufValue.array(GgufValueType.STRING, List.of("a", "", "ccc")))
                .put("arr.empty", GgufValue.array(GgufValueType.FLOAT32, List.of()))
                .put("arr.nested", GgufValue.array(GgufValueType.ARRAY, List.of(
                        GgufValue.array(GgufValueType.UINT8, List.of(1, 2)), GgufValue.array(GgufValueType.STRING, List.of("x")))));
        GgmlType[] types = {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1,
                GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K};
        WeightMatrix[] ms = new WeightMatrix[types.length];
        for (int i = 0; i < types.length; i++) {
            float[] v = new float[3 * 256];
            for (int j = 0; j < v.length; j++) v[j] = (float) r.nextGaussian();
            ms[i] = WeightMatrix.quantize(types[i], 3, 256, v, null);
            w.addTensor("t." + types[i], ms[i]);
        }
        w.addTensor("vec", GgmlType.F32, new long[] {5}, MemorySegment.ofArray(new float[] {1, 2, 3, 4, 5}));
        Path out = tmp.resolve("all.gguf");
        w.write(out);
        try (GgufFile g = GgufFile.open(out)) {
            assertEquals(64, g.alignment());
            assertEquals(0, g.dataOffset() % 64);
            Map<String, Object> m = g.metadata();
            assertEquals(255, m.get("u8")); assertEquals((byte) -7, m.get("i8")); assertEquals(65535, m.get("u16"));
            assertEquals((short) -300, m.get("i16")); assertEquals(0xFFFF_FFFFL, m.get("u32")); assertEquals(-5, m.get("i32"));
            assertEquals(1.25f, m.get("f32")); assertEquals(true, m.get("bool")); assertEquals("héllo ✓", m.get("str"));
            assertEquals(-1L, m.get("u64")); assertEquals(Long.MIN_VALUE, m.get("i64")); assertEquals(Math.PI, m.get("f64"));
            assertEquals(List.of(1, 2, 3), m.get("arr.i32")); assertEquals(List.of("a", "", "ccc"), m.get("arr.str"));
            assertEquals(List.of(), m.get("arr.empty"));
            assertEquals(List.of(List.of(1, 2), List.of("x")), m.get("arr.nested"));
            for (int i = 0; i < types.length; i++) {
                GgufTensorInfo t = g.tensor("t." + types[i]);
                assertEquals(types[i], t.type());
                assertArrayEquals(new long[] {256, 3}, t.dims());
                assertEquals(0, t.offset() % 64, "aligned offset");
                assertEquals(-1, ms[i].data().mismatch(g.data(t)), types[i] + " bytes");
                assertArrayEquals(ms[i].toFloat(), g.matrix("t." + types[i]).toFloat());
            }
            assertArrayEquals(new float[] {1, 2, 3, 4, 5}, g.toFloat("vec"));
            assertEquals(0, g.fileSize() % 64);
            // offsets are the running sum of padded sizes, in order (llama.cpp's loader requires it)
            long expect = 0;
            for (GgufTensorInfo t : g.tensors()) {
                assertEquals(expect, t.offset(), t.name());
                expect += (t.byteSize() + 63) / 64 * 64;
            }
            assertEquals(g.fileSize(), g.dataOffset() + expect);
        }
    }

    @Test
    void tensorNamesLlamaCppCannotLoadAreRefused() {
        MemorySegment four = MemorySegment.ofArray(new byte[4]);
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter().addTensor("x".repeat(64), GgmlType.F32, new long[] {1}, four));
        new GgufWriter().addTensor("x".repeat(63), GgmlType.F32, new long[] {1}, four);
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter().addTensor("", GgmlType.F32, new long[] {1}, four));
    }

    @Test
    void writerRefusesToOverwriteItsInputAndLeavesNoTemporaryFiles() throws IOException {
        Path f = tmp.resolve("in.gguf");
        new GgufWriter().put("k", GgufValue.string("v")).write(f);
        try (GgufFile g = GgufFile.open(f)) {
            GgufWriter w = new GgufWriter().copyMetadata(g, k -> true);
            assertThrows(IllegalArgumentException.class, () -> w.write(f));
            w.write(tmp.resolve("out.gguf"));
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("in.gguf", "out.gguf"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
