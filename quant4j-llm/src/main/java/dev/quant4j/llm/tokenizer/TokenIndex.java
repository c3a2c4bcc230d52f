package dev.quant4j.llm.tokenizer;

/**
 * String → index in a string table, looked up from spans of text without building a String: BPE
 * asks "is text[a, b) a token?" (or "is 'left right' a merge?") for every adjacent pair, and
 * allocating each key was most of the encoding time.
 *
 * <p>A key is {@code s[start, mid) + sep + s[mid2, end)}: a plain span, a span with a prefix
 * (WordPiece's "##"), or the two halves of a GPT-2 merge "left right" without the space. Open addressing with linear probing over a power-of-two table at
 * most half full; each slot keeps its key's full hash so that a miss rarely touches a String. When
 * the table holds one string twice, the lower index is kept.
 */
final class TokenIndex {
    private final String[] strings;
    private final int[] slots; // index + 1, 0 = empty
    private final int[] hashes;
    private final int mask;
    private final int maxLength;

    TokenIndex(String[] strings) {
        this.strings = strings;
        int cap = Integer.highestOneBit(Math.max(4, strings.length) * 2 - 1) << 1;
        slots = new int[cap];
        hashes = new int[cap];
        mask = cap - 1;
        int longest = 0;
        for (int id = 0; id < strings.length; id++) {
            String t = strings[id];
            longest = Math.max(longest, t.length());
            int h = hash(t, 0, 0, "", 0, t.length());
            int i = h & mask;
            while (slots[i] != 0 && !(hashes[i] == h && strings[slots[i] - 1].equals(t))) i = (i + 1) & mask;
            if (slots[i] == 0) {
                slots[i] = id + 1;
                hashes[i] = h;
            }
        }
        maxLength = longest;
    }

    /** The index of {@code s[start, mid) + sep + s[mid2, end)}, or -1. */
    int find(CharSequence s, int start, int mid, String sep, int mid2, int end) {
        int len = mid - start + sep.length() + end - mid2;
        if (len > maxLength) return -1; // long spans are frequent while merging and never keys
        int h = hash(s, start, mid, sep, mid2, end);
        for (int i = h & mask; slots[i] != 0; i = (i + 1) & mask) {
            if (hashes[i] != h) continue;
            String t = strings[slots[i] - 1];
            if (t.length() == len && matches(t, s, start, mid, sep, mid2, end)) return slots[i] - 1;
        }
        return -1;
    }

    /** The index of {@code s[start, end)}, or -1. */
    int find(CharSequence s, int start, int end) {
        return find(s, start, end, "", end, end);
    }

    private static boolean matches(String t, CharSequence s, int start, int mid, String sep, int mid2, int end) {
        int k = 0;
        for (int i = start; i < mid; i++) if (t.charAt(k++) != s.charAt(i)) return false;
        for (int i = 0; i < sep.length(); i++) if (t.charAt(k++) != sep.charAt(i)) return false;
        for (int i = mid2; i < end; i++) if (t.charAt(k++) != s.charAt(i)) return false;
        return true;
    }

    private static int hash(CharSequence s, int start, int mid, String sep, int mid2, int end) {
        int h = 0;
        for (int i = start; i < mid; i++) h = 31 * h + s.charAt(i);
        for (int i = 0; i < sep.length(); i++) h = 31 * h + sep.charAt(i);
        for (int i = mid2; i < end; i++) h = 31 * h + s.charAt(i);
        h ^= h >>> 16; // murmur3's finaliser, so that the low bits used for the slot are mixed
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }
}
