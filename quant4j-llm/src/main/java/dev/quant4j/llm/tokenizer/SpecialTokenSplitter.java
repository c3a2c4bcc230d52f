package dev.quant4j.llm.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts text into plain-text fragments and special tokens written out literally ({@code <|endoftext|>},
 * {@code [CLS]}, user-defined tokens), so that each plain fragment is tokenized on its own.
 *
 * <p>At each position the longest matching special token wins. User-defined tokens are always
 * recognised (they are part of the text vocabulary); control and unknown tokens only on request.
 */
final class SpecialTokenSplitter {
    /** A piece of the input: plain text ({@code id == -1}) or one special token. */
    record Fragment(String text, int id) {
        boolean isSpecial() {
            return id >= 0;
        }
    }

    private final Map<Character, int[]> userDefined;
    private final Map<Character, int[]> allSpecial;
    private final Vocabulary vocab;

    SpecialTokenSplitter(Vocabulary vocab) {
        this.vocab = vocab;
        Map<Character, List<Integer>> user = new HashMap<>();
        Map<Character, List<Integer>> all = new HashMap<>();
        for (int id = 0; id < vocab.size(); id++) {
            TokenType t = vocab.type(id);
            String s = vocab.token(id);
            if (s.isEmpty() || !(t == TokenType.CONTROL || t == TokenType.USER_DEFINED || t == TokenType.UNKNOWN)) continue;
            all.computeIfAbsent(s.charAt(0), _ -> new ArrayList<>()).add(id);
            if (t == TokenType.USER_DEFINED) user.computeIfAbsent(s.charAt(0), _ -> new ArrayList<>()).add(id);
        }
        this.userDefined = longestFirst(user);
        this.allSpecial = longestFirst(all);
    }

    private Map<Character, int[]> longestFirst(Map<Character, List<Integer>> byFirst) {
        Map<Character, int[]> m = new HashMap<>();
        byFirst.forEach((c, ids) -> {
            ids.sort(Comparator.comparingInt((Integer id) -> -vocab.token(id).length()).thenComparingInt(id -> id));
            m.put(c, ids.stream().mapToInt(Integer::intValue).toArray());
        });
        return m;
    }

    /** The fragments of {@code text} in order; empty text gives no fragment. */
    List<Fragment> split(String text, boolean parseSpecial) {
        Map<Character, int[]> candidates = parseSpecial ? allSpecial : userDefined;
        List<Fragment> out = new ArrayList<>();
        if (candidates.isEmpty()) {
            if (!text.isEmpty()) out.add(new Fragment(text, -1));
            return out;
        }
        int plainStart = 0;
        int i = 0;
        while (i < text.length()) {
            int match = match(text, i, candidates.get(text.charAt(i)));
            if (match < 0) {
                i++;
                continue;
            }
            if (i > plainStart) out.add(new Fragment(text.substring(plainStart, i), -1));
            out.add(new Fragment(vocab.token(match), match));
            i += vocab.token(match).length();
            plainStart = i;
        }
        if (plainStart < text.length()) out.add(new Fragment(text.substring(plainStart), -1));
        return out;
    }

    private int match(String text, int at, int[] ids) {
        if (ids == null) return -1;
        for (int id : ids) {
            if (text.startsWith(vocab.token(id), at)) return id;
        }
        return -1;
    }
}
