package dev.quant4j.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfWordPieceTest {
    @TempDir Path tmp;

    @Test
    void readsVocabularyAndCasingFromTokenizerJson() throws IOException {
        Path f = tmp.resolve("tokenizer.json");
        Files.writeString(f, """
                {"normalizer": {"type": "BertNormalizer", "lowercase": true, "strip_accents": null},
                 "model": {"type": "WordPiece", "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4,
                           "play": 5, "##ing": 6, "cafe": 7, "!": 8}}}""");
        WordPiece wp = HfWordPiece.read(f);
        // Lowercased, accents stripped (strip_accents null follows lowercase), ## continuation, [CLS] … [SEP].
        assertArrayEquals(new int[] {2, 5, 6, 7, 8, 1, 3}, wp.encode("Playing CAFÉ! xyz", true, false));
    }

    @Test
    void aFileWithoutWordPieceVocabularyIsAClearError() throws IOException {
        Path f = tmp.resolve("bpe.json");
        Files.writeString(f, "{\"model\": {\"type\": \"BPE\", \"vocab\": {}}}");
        IOException e = assertThrows(IOException.class, () -> HfWordPiece.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }
}
