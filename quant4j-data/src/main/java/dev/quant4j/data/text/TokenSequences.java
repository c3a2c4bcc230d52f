package dev.quant4j.data.text;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Calibration sequences for language models: texts are tokenized one at a time, their tokens
 * concatenated (each text's tokens as the tokenizer returns them) and cut into sequences of exactly
 * {@code length} tokens; a remainder shorter than {@code length} at the end is dropped. Memory is
 * one text's tokens plus one sequence, however many texts there are.
 */
public final class TokenSequences implements Iterable<int[]> {
    private final Iterable<String> texts;
    private final Function<String, int[]> tokenizer;
    private final int length;

    public TokenSequences(Iterable<String> texts, Function<String, int[]> tokenizer, int length) {
        if (length < 1) throw new IllegalArgumentException("sequence length " + length);
        this.texts = texts;
        this.tokenizer = tokenizer;
        this.length = length;
    }

    @Override
    public Iterator<int[]> iterator() {
        Iterator<String> src = texts.iterator();
        return new Iterator<>() {
            private int[] pending = new int[0];
            private int pos;
            private int[] next;

            @Override
            public boolean hasNext() {
                if (next != null) return true;
                int[] seq = new int[length];
                int filled = 0;
                while (filled < length) {
                    if (pos == pending.length) {
                        if (!src.hasNext()) return false;
                        pending = tokenizer.apply(src.next());
                        pos = 0;
                        continue;
                    }
                    int n = Math.min(length - filled, pending.length - pos);
                    System.arraycopy(pending, pos, seq, filled, n);
                    pos += n;
                    filled += n;
                }
                next = seq;
                return true;
            }

            @Override
            public int[] next() {
                if (!hasNext()) throw new NoSuchElementException();
                int[] s = next;
                next = null;
                return s;
            }
        };
    }

    @Override
    public String toString() {
        return "TokenSequences[length=" + length + "]";
    }
}
