package dev.quant4j.llm.tokenizer;

import dev.quant4j.llm.gguf.GgufFile;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link Tokenizer} from a GGUF file's {@code tokenizer.ggml.*} metadata.
 *
 * <p>The metadata is taken as a key → value map (strings, numbers, booleans; arrays as a
 * {@link List} or a Java array), so this class does not depend on how the file was read.
 *
 * <table>
 *   <caption>models</caption>
 *   <tr><th>tokenizer.ggml.model</th><th>tokenizer</th><th>defaults when a key is absent</th></tr>
 *   <tr><td>llama</td><td>{@link SentencePieceBpe}</td><td>bos 1, eos 2, unk 0, add_bos, add_space_prefix</td></tr>
 *   <tr><td>gpt2</td><td>{@link ByteLevelBpe}</td><td>no BOS/EOS added; tokenizer.ggml.pre is required
 *       (files written before the key existed are refused: guessing the regex could tokenize silently wrong)</td></tr>
 *   <tr><td>bert</td><td>{@link WordPiece}</td><td>bos = cls, eos = sep, both added; lowercase when
 *       no normal token has an upper-case letter (GGUF stores no casing flag)</td></tr>
 * </table>
 */
public final class GgufTokenizers {
    private static final String P = "tokenizer.ggml.";

    private GgufTokenizers() {}

    /** The {@code tokenizer.ggml.model} names this class builds a tokenizer for. */
    public static List<String> supportedModels() {
        return List.of("bert", "gpt2", "llama");
    }

    /**
     * Whether {@link #fromMetadata} supports this metadata's model and pre-tokenizer; when not,
     * {@link #fromMetadata} throws {@link UnsupportedOperationException} saying why.
     */
    public static boolean isSupported(Map<String, ?> metadata) {
        Object model = metadata.get(P + "model");
        if ("gpt2".equals(model)) {
            String pre = string(metadata, P + "pre", null);
            return pre != null && Gpt2PreTokenizer.supports(pre);
        }
        return supportedModels().contains(String.valueOf(model));
    }

    /**
     * The tokenizer of a GGUF file. A problem with its tokenizer metadata is an
     * {@link IllegalArgumentException} (or {@link UnsupportedOperationException} for a model this
     * package does not implement) whose message starts with the file's path.
     */
    public static Tokenizer fromGguf(GgufFile file) {
        try {
            return fromMetadata(file.metadata());
        } catch (UnsupportedOperationException e) {
            throw new UnsupportedOperationException(file.path() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file.path() + ": " + e.getMessage(), e);
        }
    }

    /** Reads the tokenizer of the GGUF file at {@code path} (the tensors are not touched). */
    public static Tokenizer fromGguf(Path path) {
        try (GgufFile f = GgufFile.open(path)) {
            return fromGguf(f);
        }
    }

    public static Tokenizer fromMetadata(Map<String, ?> metadata) {
        String model = string(metadata, P + "model", null);
        if (model == null) throw new IllegalArgumentException("GGUF metadata has no " + P + "model: the file carries no tokenizer");
        return switch (model) {
            case "llama" -> new SentencePieceBpe(vocabulary(metadata, model), bool(metadata, P + "add_space_prefix", true));
            case "gpt2" -> {
                String pre = string(metadata, P + "pre", null);
                if (pre == null) {
                    throw new UnsupportedOperationException("byte-level BPE needs " + P + "pre to choose its pre-tokenizer, and this file has none"
                            + " (written before llama.cpp added the key; supported variants: " + ByteLevelBpe.supportedPreTokenizers() + ")");
                }
                yield new ByteLevelBpe(vocabulary(metadata, model), pre);
            }
            case "bert" -> {
                Vocabulary v = vocabulary(metadata, model);
                boolean lower = isUncased(v);
                yield new WordPiece(v, WordPiece.Marking.of(v), lower, lower);
            }
            default -> throw new UnsupportedOperationException("tokenizer model '" + model + "' is not supported (supported: " + supportedModels() + ")");
        };
    }

    /** The vocabulary data of the metadata, with the model's defaults for absent special ids and flags. */
    public static Vocabulary vocabulary(Map<String, ?> metadata, String model) {
        List<?> tokenList = list(metadata, P + "tokens", true);
        String[] tokens = new String[tokenList.size()];
        for (int i = 0; i < tokens.length; i++) {
            if (!(tokenList.get(i) instanceof String s)) throw new IllegalArgumentException(P + "tokens[" + i + "] is not a string");
            tokens[i] = s;
        }
        List<?> scoreList = list(metadata, P + "scores", false);
        float[] scores = null;
        if (scoreList != null) {
            scores = new float[scoreList.size()];
            for (int i = 0; i < scores.length; i++) scores[i] = number(scoreList.get(i), P + "scores[" + i + "]").floatValue();
        }
        List<?> typeList = list(metadata, P + "token_type", false);
        TokenType[] types = null;
        if (typeList != null) {
            types = new TokenType[typeList.size()];
            for (int i = 0; i < types.length; i++) types[i] = TokenType.fromId(number(typeList.get(i), P + "token_type[" + i + "]").intValue());
        }
        List<String> merges = new ArrayList<>();
        List<?> mergeList = list(metadata, P + "merges", "gpt2".equals(model));
        if (mergeList != null) {
            for (Object m : mergeList) {
                if (!(m instanceof String s)) throw new IllegalArgumentException(P + "merges holds a non-string");
                merges.add(s);
            }
        }
        boolean spm = "llama".equals(model);
        boolean bert = "bert".equals(model);
        int cls = id(metadata, "cls", SpecialTokens.NONE);
        int sep = id(metadata, "seperator", id(metadata, "separator", SpecialTokens.NONE));
        int bos = id(metadata, "bos", spm ? 1 : bert ? cls : SpecialTokens.NONE);
        int eos = id(metadata, "eos", spm ? 2 : bert ? sep : SpecialTokens.NONE);
        SpecialTokens special = new SpecialTokens(
                bos, eos, id(metadata, "unknown", spm ? 0 : SpecialTokens.NONE), sep,
                id(metadata, "padding", SpecialTokens.NONE), cls, id(metadata, "mask", SpecialTokens.NONE),
                bool(metadata, P + "add_bos_token", (spm || bert) && bos >= 0),
                bool(metadata, P + "add_eos_token", bert && eos >= 0));
        return new Vocabulary(tokens, scores, types, merges, special);
    }

    /**
     * An uncased vocabulary has (almost) no normal token that lowercasing changes; a cased one has
     * thousands. A few stray symbols are tolerated (0.1 % of the vocabulary).
     */
    static boolean isUncased(Vocabulary v) {
        int changed = 0;
        for (int id = 0; id < v.size(); id++) {
            String t = v.token(id);
            if (v.type(id) == TokenType.NORMAL && !t.toLowerCase(Locale.ROOT).equals(t)) changed++;
        }
        return changed * 1000L <= v.size();
    }

    /** A special token id; -1 or its uint32 spelling 0xFFFFFFFF mean "none". */
    private static int id(Map<String, ?> m, String name, int fallback) {
        String key = P + name + "_token_id";
        Object v = m.get(key);
        if (v == null) return fallback;
        long id = number(v, key).longValue();
        if (id == -1 || id == 0xFFFF_FFFFL) return SpecialTokens.NONE;
        if (id < 0 || id > Integer.MAX_VALUE) throw new IllegalArgumentException(key + " is " + id + ", not a token id");
        return (int) id;
    }

    private static String string(Map<String, ?> m, String key, String fallback) {
        Object v = m.get(key);
        if (v == null) return fallback;
        if (!(v instanceof String s)) throw new IllegalArgumentException(key + " is a " + v.getClass().getSimpleName() + ", not a string");
        return s;
    }

    private static boolean bool(Map<String, ?> m, String key, boolean fallback) {
        Object v = m.get(key);
        if (v == null) return fallback;
        if (!(v instanceof Boolean b)) throw new IllegalArgumentException(key + " is a " + v.getClass().getSimpleName() + ", not a boolean");
        return b;
    }

    private static Number number(Object v, String what) {
        if (!(v instanceof Number n)) throw new IllegalArgumentException(what + " is " + (v == null ? "null" : "a " + v.getClass().getSimpleName()) + ", not a number");
        return n;
    }

    private static List<?> list(Map<String, ?> m, String key, boolean required) {
        Object v = m.get(key);
        if (v == null) {
            if (required) throw new IllegalArgumentException("GGUF metadata has no " + key);
            return null;
        }
        if (v instanceof List<?> l) return l;
        if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            List<Object> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) l.add(Array.get(v, i));
            return l;
        }
        throw new IllegalArgumentException(key + " is a " + v.getClass().getSimpleName() + ", not an array");
    }
}
