package dev.quant4j.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.data.text.TokenSequences;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenSequencesAndProgressTest {
    /** A stand-in tokenizer: one token per character (its code point), enough to check the packing. */
    static int[] chars(String s) {
        return s.codePoints().toArray();
    }

    @Test
    void packsConsecutiveTokensIntoFixedLengthsAndDropsTheRemainder() {
        List<int[]> seqs = new ArrayList<>();
        new TokenSequences(List.of("abc", "", "defgh", "ij"), TokenSequencesAndProgressTest::chars, 4).forEach(seqs::add);
        assertEquals(2, seqs.size());
        assertArrayEquals(chars("abcd"), seqs.get(0));
        assertArrayEquals(chars("efgh"), seqs.get(1)); // "ij" is shorter than a sequence: dropped
    }

    @Test
    void readsTextsOnlyAsFarAsNeeded() {
        int[] pulled = {0};
        Iterable<String> endless = () -> new Iterator<>() {
            @Override public boolean hasNext() { return true; }
            @Override public String next() { pulled[0]++; return "xyz"; }
        };
        Iterator<int[]> it = new TokenSequences(endless, TokenSequencesAndProgressTest::chars, 5).iterator();
        it.next();
        it.next();
        assertEquals(4, pulled[0], "10 tokens need 4 texts of 3");
    }

    @Test
    void printingListenerReportsEachStepAndTheEnd() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressListener p = ProgressListener.printing(new PrintStream(buf, true, StandardCharsets.UTF_8), "calibration", 30);
        Dataset<Integer> d = SplitTest.indices(10);
        Iterator<Integer> it = d.iterator(p);
        while (it.hasNext()) it.next();
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("calibration: 1 / 10 samples", "calibration: 3 / 10 samples", "calibration: 6 / 10 samples",
                "calibration: 9 / 10 samples", "calibration: 10 / 10 samples"), lines);
    }

    @Test
    void batchesStackSamplesAndRefuseMixedShapes() {
        Dataset<Sample> d = SplitTest.indices(5).map(i -> new Sample(new float[] {i, -i}, new long[] {2}, i));
        List<Batch> bs = new ArrayList<>();
        Batches.of(d, 2).forEach(bs::add);
        assertEquals(3, bs.size());
        assertArrayEquals(new long[] {2, 2}, bs.get(0).shape());
        assertArrayEquals(new float[] {2, -2, 3, -3}, bs.get(1).data());
        assertArrayEquals(new int[] {4}, bs.get(2).labels());
        Dataset<Sample> mixed = SplitTest.indices(2).map(i -> new Sample(new float[i + 1], new long[] {i + 1}, 0));
        assertThrows(IllegalArgumentException.class, () -> Batches.of(mixed, 2).iterator().next());
    }
}
