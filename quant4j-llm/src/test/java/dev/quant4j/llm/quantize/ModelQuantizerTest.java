package dev.quant4j.llm.quantize;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.llm.calib.CalibrationStats;
import dev.quant4j.llm.gguf.GgufFile;
import dev.quant4j.llm.llama2c.Llama2cCheckpoint;
import dev.quant4j.llm.model.Forward;
import dev.quant4j.llm.model.Generator;
import dev.quant4j.llm.model.LlamaGguf;
import dev.quant4j.llm.model.LlamaModel;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelQuantizerTest {

    static LlamaModel stories(Llama2cCheckpoint ck) { return LlamaModel.fromLlama2c(ck); }

    @Test
    void rulesDefaultsAndFallbacksAreAllListed() throws IOException {
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require("llm/stories260K.bin"))) {
            LlamaModel m = stories(ck);
            QuantizeOptions o = QuantizeOptions.of(GgmlType.Q4_K, Method.RTN).withRules(List.of(TypeRule.parse("blk\\.0\\.attn_.*=Q8_0")));
            ModelQuantizer.Result r = ModelQuantizer.quantize(m, null, o);
            var byName = new java.util.HashMap<String, dev.quant4j.llm.quantize.TensorDecision>();
            r.decisions().forEach(d -> byName.put(d.tensor(), d));
            assertEquals(1 + 7 * 5, r.decisions().size(), "tied classifier decided once");
            assertFalse(byName.containsKey("output.weight"));
            assertEquals(GgmlType.Q8_0, byName.get("token_embd.weight").type());
            assertEquals("embeddings/output kept higher", byName.get("token_embd.weight").reason());
            assertEquals(GgmlType.Q8_0, byName.get("blk.0.attn_q.weight").type());
            assertTrue(byName.get("blk.0.attn_q.weight").reason().startsWith("rule"));
            // dim 64 cannot hold a 256-weight K block: Q4_K -> Q5_0, as llama.cpp does; 172 columns not even 32 -> F16
            assertEquals(GgmlType.Q5_0, byName.get("blk.1.attn_q.weight").type());
            assertNotNull(byName.get("blk.1.attn_q.weight").fallback());
            assertEquals(GgmlType.F16, byName.get("blk.3.ffn_down.weight").type());
            assertTrue(byName.get("blk.3.ffn_down.weight").fallback().contains("172"));
            assertEquals(GgmlType.Q4_K, byName.get("blk.3.ffn_down.weight").requested());
            assertEquals(r.decisions().stream().filter(d -> d.type() != d.requested()).count(), r.fallbacks().size());

            // bits per weight from the published block sizes
            double bits = 0, n = 0;
            for (var d : r.decisions()) { bits += d.weights() * d.type().bitsPerWeight(); n += d.weights(); }
            assertEquals(bits / n, r.bitsPerWeight(), 1e-9);
            assertSame(r.model().matrix("token_embd.weight"), r.model().matrix("output.weight"));
        }
    }

    @Test
    void methodsWithoutTheirStatisticsFallBackVisibly() throws IOException {
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require("llm/stories260K.bin"))) {
            LlamaModel m = stories(ck);
            CalibrationStats noHessian = CalibrationStats.collect(m, Generator.heldOut(m, 1, 16, 1, 1, 1), false, 1);
            ModelQuantizer.Result r = ModelQuantizer.quantize(m, noHessian, QuantizeOptions.of(GgmlType.Q4_0, Method.GPTQ));
            for (var d : r.decisions()) {
                if (d.type() == GgmlType.F16) assertEquals(Method.RTN, d.method());
                else {
                    assertEquals(Method.IMPORTANCE, d.method(), d.toString());
                    assertTrue(d.fallback().contains("no Hessian"), d.toString());
                }
            }
            assertThrows(IllegalArgumentException.class, () -> ModelQuantizer.quantize(m, noHessian, QuantizeOptions.of(GgmlType.Q4_0, Method.RTN).withAwq(true)));
            assertThrows(IllegalArgumentException.class, () -> TypeRule.parse("attn=Q3_K"));
            assertThrows(IllegalArgumentException.class, () -> TypeRule.parse("attn"));
            assertThrows(IllegalArgumentException.class, () -> TypeRule.parse("[=Q4_0"));
        }
    }

    @Test
    void writtenGgufLoadsBackToTheSameModel(@TempDir Path dir) throws IOException {
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require("llm/stories260K.bin"))) {
            LlamaModel m = stories(ck);
            CalibrationStats st = CalibrationStats.collect(m, Generator.heldOut(m, 2, 32, 3, 1, 1), true, 1);
            ModelQuantizer.Result r = ModelQuantizer.quantize(m, st, QuantizeOptions.of(GgmlType.Q4_0, Method.GPTQ).withAwq(true));
            Path out = dir.resolve("stories260K-q4_0.gguf");
            GgufExport.write(r.model(), out, "stories260K", GgmlType.Q4_0, null);
            try (GgufFile f = GgufFile.open(out)) {
                assertEquals("llama", f.metadata().get("general.architecture"));
                assertEquals(2L, ((Number) f.metadata().get("general.file_type")).longValue());
                assertFalse(f.hasTensor("output.weight"), "a tied classifier is written once");
                LlamaModel back = LlamaGguf.load(f);
                assertEquals(m.config(), back.config());
                assertTrue(back.tiedClassifier());
                for (var e : r.model().matrices().entrySet()) {
                    var a = e.getValue().data();
                    var b = back.matrix(e.getKey()).data();
                    assertEquals(a.byteSize(), b.byteSize());
                    assertEquals(-1, a.mismatch(b), e.getKey() + " bytes differ");
                    assertEquals(e.getValue().type(), back.matrix(e.getKey()).type());
                }
                Forward x = new Forward(r.model(), 1), y = new Forward(back, 1);
                for (int i = 0; i < 10; i++) assertArrayEquals(x.forward(i * 37 % 512, i), y.forward(i * 37 % 512, i));
            }
            assertEquals(List.of(out), Files.list(dir).toList(), "no temporary file left behind");
        }
    }
}
