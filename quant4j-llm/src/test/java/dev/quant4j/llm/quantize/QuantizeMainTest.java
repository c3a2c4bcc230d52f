package dev.quant4j.llm.quantize;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.llm.gguf.GgufFile;
import dev.quant4j.llm.model.ModelFile;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.testkit.TestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizeMainTest {
    @Test
    void quantizesWithRulesAndCarriesTheTokenizerOver(@TempDir Path dir) throws Exception {
        Path in = TestData.require("llm/stories260K.bin");
        Path vocab = TestData.require("llm/gguf-vocab/ggml-vocab-llama-spm.gguf");
        Path out = dir.resolve("s.gguf");
        QuantizeMain.main(new String[] {in.toString(), out.toString(), "--type", "Q4_0", "--tensor-type", "blk\\.4\\..*=Q8_0",
                "--method", "importance", "--calib-sequences", "2", "--calib-length", "32", "--tokenizer-from", vocab.toString()});
        try (GgufFile f = GgufFile.open(out); GgufFile v = GgufFile.open(vocab); ModelFile m = ModelFile.open(out)) {
            assertEquals(v.metadata().get("tokenizer.ggml.model"), f.metadata().get("tokenizer.ggml.model"));
            assertEquals(((java.util.List<?>) v.metadata().get("tokenizer.ggml.tokens")).size(), ((java.util.List<?>) f.metadata().get("tokenizer.ggml.tokens")).size());
            assertEquals(GgmlType.Q8_0, m.model().matrix("blk.4.attn_q.weight").type());
            assertEquals(GgmlType.Q4_0, m.model().matrix("blk.3.attn_q.weight").type());
            assertEquals(GgmlType.F16, m.model().matrix("blk.3.ffn_down.weight").type());
        }
        Path again = dir.resolve("t.gguf");
        QuantizeMain.main(new String[] {out.toString(), again.toString(), "--type", "Q8_0"});
        try (GgufFile f = GgufFile.open(again)) {
            assertEquals("llama", f.metadata().get("tokenizer.ggml.model"), "the tokenizer of a GGUF input is kept");
        }
        assertThrows(IllegalArgumentException.class, () -> QuantizeMain.main(new String[] {out.toString(), out.toString(), "--type", "Q8_0"}));
    }
}
