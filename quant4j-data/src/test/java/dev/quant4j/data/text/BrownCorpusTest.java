package dev.quant4j.data.text;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.data.DataFileException;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrownCorpusTest {
    @TempDir Path tmp;

    @Test
    void readsAllSentencesLazily() {
        Path f = TestData.require("datasets/text/brown_sentences.txt.gz");
        List<String> all = BrownCorpus.read(f, -1);
        assertEquals(57_340, all.size()); // the count the corpus package states
        assertTrue(all.get(0).startsWith("The Fulton County Grand Jury said Friday"));
        assertEquals(all.subList(0, 5), BrownCorpus.read(f, 5));
    }

    @Test
    void linesAreBoundedAndLoseNothing() {
        List<String> sentences = BrownCorpus.read(TestData.require("datasets/text/brown_sentences.txt.gz"), 3000);
        for (String s : sentences) {
            String d = BrownCorpus.detokenize(s);
            List<String> lines = BrownCorpus.cutIntoLines(d, 40);
            boolean longWord = false;
            for (String w : d.split(" ")) longWord |= w.length() > 40;
            for (String l : lines) {
                assertTrue(l.length() <= 40 && !l.isEmpty() && l.equals(l.strip()), l);
            }
            if (!longWord) assertEquals(d, String.join(" ", lines));
            else assertEquals(d.replace(" ", ""), String.join("", lines).replace(" ", ""));
        }
        assertEquals(List.of("abcd", "efgh", "ij k", "l"), BrownCorpus.cutIntoLines("abcdefghij k l", 4));
        assertEquals(List.of("ab", "cd", "e"), BrownCorpus.cutIntoLines("  ab  cd e ", 2));
    }

    @Test
    void detokenizeReadsLikePrint() {
        assertEquals("produced \"no evidence\" that any irregularities took place.",
                BrownCorpus.detokenize("produced \" no evidence \" that any irregularities took place ."));
        assertEquals("\"Only a handful\", the jury said (it did), and $5 or 10%!",
                BrownCorpus.detokenize("\" Only a handful \" , the jury said ( it did ) , and $ 5 or 10 % !"));
    }

    @Test
    void corruptGzipNamesTheFile() throws IOException {
        Path f = tmp.resolve("cut.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            for (int i = 0; i < 20000; i++) out.write(("sentence number " + i + " .\n").getBytes());
        }
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length / 2));
        DataFileException e = assertThrows(DataFileException.class, () -> BrownCorpus.read(f, -1));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        Path bad = tmp.resolve("latin1.txt");
        Files.write(bad, new byte[] {'a', (byte) 0xE9, '\n'});
        assertTrue(assertThrows(DataFileException.class, () -> BrownCorpus.read(bad, -1)).getMessage().contains("UTF-8"));
    }
}
