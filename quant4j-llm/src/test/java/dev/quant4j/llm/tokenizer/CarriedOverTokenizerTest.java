package dev.quant4j.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.quant4j.llm.gguf.GgufFile;
import dev.quant4j.llm.gguf.GgufValue;
import dev.quant4j.llm.gguf.GgufWriter;
import dev.quant4j.llm.quant.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A quantized model written with the tokenizer keys of another GGUF carries a working tokenizer:
 * the copy still gives the published ids on every test input.
 */
class CarriedOverTokenizerTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "gpt-2", "bert-bge"})
    void tokenizerKeysCopiedIntoANewFileStillTokenizeLikeTheReference(String name, @TempDir Path dir) throws IOException {
        Path copy = dir.resolve("model.gguf");
        try (GgufFile src = GgufFile.open(VocabFiles.path(name))) {
            new GgufWriter()
                    .put("general.architecture", GgufValue.string("llama"))
                    .copyMetadata(src, k -> k.startsWith("tokenizer."))
                    .addTensor("output_norm.weight", GgmlType.F32, new long[] {4}, MemorySegment.ofArray(new float[] {1, 2, 3, 4}))
                    .write(copy);
        }
        Tokenizer t = GgufTokenizers.fromGguf(copy);
        VocabTestVectors v = VocabTestVectors.read(VocabFiles.path(name));
        for (int i = 0; i < v.inputs().size(); i++) {
            assertArrayEquals(v.expected().get(i), t.encode(v.inputs().get(i)), name + " case " + i);
        }
    }
}
