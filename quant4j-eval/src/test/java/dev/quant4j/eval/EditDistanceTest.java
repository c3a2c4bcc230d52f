package dev.quant4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class EditDistanceTest {

    /** The definition as a plain recursion (exponential; fine for strings of up to 6). */
    private static int brute(int[] a, int i, int[] b, int j) {
        if (i == a.length) return b.length - j;
        if (j == b.length) return a.length - i;
        int sub = brute(a, i + 1, b, j + 1) + (a[i] == b[j] ? 0 : 1);
        return Math.min(sub, Math.min(brute(a, i + 1, b, j), brute(a, i, b, j + 1)) + 1);
    }

    @Property(tries = 300)
    void matchesBruteForceRecursion(@ForAll @StringLength(max = 6) @CharRange(from = 'a', to = 'd') String a,
                                    @ForAll @StringLength(max = 6) @CharRange(from = 'a', to = 'd') String b) {
        int[] x = a.codePoints().toArray(), y = b.codePoints().toArray();
        assertEquals(brute(x, 0, y, 0), EditDistance.levenshtein(x, y));
        assertEquals(EditDistance.characters(a, b), EditDistance.characters(b, a));
    }

    @Test
    void handExamples() {
        assertEquals(3, EditDistance.characters("kitten", "sitting"));
        assertEquals(0, EditDistance.characters("", ""));
        assertEquals(4, EditDistance.characters("", "abcd"));
        // a character outside the BMP is one symbol, not two UTF-16 units
        assertEquals(1, EditDistance.characters("a\uD83D\uDE00b", "ab"));
        assertEquals(1, EditDistance.characters("\u4E2D\u6587", "\u4E2D\u5B57"));
        assertEquals(2, EditDistance.words("the cat sat on the mat", "the cat sat on mat now"));
        assertEquals(0, EditDistance.words("  a  b ", "a b"));
        assertEquals(0, EditDistance.words("a\u3000b", "a b"));   // ideographic space separates words
    }

    @Test
    void errorRatesPoolEditsOverReferenceLength() {
        ErrorRate cer = ErrorRate.characters();
        cer.add("kitten", "sitting");   // 3 edits / 6
        cer.add("abcd", "abcd");        // 0 / 4
        assertEquals(0.3, cer.statistic().value(), 1e-15);
        assertEquals(0.5, cer.exactMatchRate());
        ErrorRate wer = ErrorRate.words();
        wer.add("the cat sat on the mat", "the cat sat on mat now");  // 2 / 6
        wer.add("hello world", "hello");                              // 1 / 2
        assertEquals(3.0 / 8, wer.statistic().value(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> cer.add(-1, 3));
    }
}
