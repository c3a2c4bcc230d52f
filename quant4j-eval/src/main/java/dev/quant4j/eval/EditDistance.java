package dev.quant4j.eval;

import java.util.HashMap;
import java.util.Map;

/** Levenshtein distance (insertions, deletions, substitutions, each costing 1). */
public final class EditDistance {
    private EditDistance() {}

    /** Edit distance between two symbol sequences, two DP rows: O(|a| |b|) time, O(|b|) memory. */
    public static int levenshtein(int[] a, int[] b) {
        int[] prev = new int[b.length + 1], cur = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) prev[j] = j;
        for (int i = 1; i <= a.length; i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length; j++) {
                int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length];
    }

    /** Edit distance on Unicode code points (a character outside the BMP is one symbol). */
    public static int characters(String reference, String hypothesis) {
        return levenshtein(reference.codePoints().toArray(), hypothesis.codePoints().toArray());
    }

    /** Edit distance on whitespace-separated words. */
    public static int words(String reference, String hypothesis) {
        Map<String, Integer> ids = new HashMap<>();
        return levenshtein(wordIds(reference, ids), wordIds(hypothesis, ids));
    }

    static String[] splitWords(String s) {
        String t = s.strip();
        return t.isEmpty() ? new String[0] : t.split("(?U)\\s+");   // (?U): Unicode spaces too, as strip() does
    }

    private static int[] wordIds(String s, Map<String, Integer> ids) {
        String[] w = splitWords(s);
        int[] out = new int[w.length];
        for (int i = 0; i < w.length; i++) out[i] = ids.computeIfAbsent(w[i], k -> ids.size());
        return out;
    }
}
