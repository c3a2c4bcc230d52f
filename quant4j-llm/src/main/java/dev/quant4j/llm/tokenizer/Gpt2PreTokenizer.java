package dev.quant4j.llm.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regular expression that cuts text into words before byte-level BPE, chosen by the vocabulary's
 * {@code tokenizer.ggml.pre} name.
 *
 * <p>Only variants checked against published test vectors are offered; any other name is refused
 * with the list of supported ones, rather than tokenized with a regex that might differ.
 * {@code \s} is Unicode white space here (as in the Python {@code regex} and Rust tokenizer libraries),
 * hence {@link Pattern#UNICODE_CHARACTER_CLASS}.
 */
final class Gpt2PreTokenizer {
    private static final Map<String, String> VARIANTS = Map.of(
            // GPT-2 (OpenAI's encoder.py): contractions, letters, digits, other symbols, each with an
            // optional leading space; runs of white space keep their last space for the next word.
            "gpt-2", "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private final Pattern pattern;

    private Gpt2PreTokenizer(Pattern pattern) {
        this.pattern = pattern;
    }

    static boolean supports(String variant) {
        return VARIANTS.containsKey(variant);
    }

    static List<String> supported() {
        return VARIANTS.keySet().stream().sorted().toList();
    }

    static Gpt2PreTokenizer forVariant(String variant) {
        String regex = VARIANTS.get(variant);
        if (regex == null) {
            throw new UnsupportedOperationException("GPT-2 pre-tokenizer variant '" + variant + "' is not supported (supported: " + supported() + ")");
        }
        return new Gpt2PreTokenizer(Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS));
    }

    /** The words of {@code text} in order; text between matches (if the regex skips any) is a word too. */
    List<String> split(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) words.add(text.substring(last, m.start()));
            if (m.end() > m.start()) words.add(m.group());
            last = m.end();
        }
        if (last < text.length()) words.add(text.substring(last));
        return words;
    }
}
