package dev.quant4j.llm.tokenizer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The {@code llm tokenize} job, for the command line to wrap: shows how a GGUF file's tokenizer
 * cuts a text (ids and the vocabulary entry of each), or decodes ids back to text.
 *
 * <pre>
 *   TokenizeCommand MODEL.gguf [--special] TEXT...     encode (--special: add BOS/EOS, parse special tokens)
 *   TokenizeCommand MODEL.gguf --decode ID...          decode
 * </pre>
 */
public final class TokenizeCommand {
    private TokenizeCommand() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (args.length < 2) {
            System.err.println("usage: TokenizeCommand MODEL.gguf [--special] TEXT...  |  TokenizeCommand MODEL.gguf --decode ID...");
            System.exit(2);
        }
        int code = run(args, out);
        if (code != 0) System.exit(code);
    }

    static int run(String[] args, PrintStream out) {
        Tokenizer t;
        try {
            t = GgufTokenizers.fromGguf(Path.of(args[0]));
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        boolean decode = args[1].equals("--decode");
        boolean special = args[1].equals("--special");
        String[] rest = Arrays.copyOfRange(args, decode || special ? 2 : 1, args.length);
        if (decode) {
            int[] ids;
            try {
                ids = Arrays.stream(rest).mapToInt(Integer::parseInt).toArray();
                out.println(t.decode(ids));
            } catch (IllegalArgumentException e) { // NumberFormatException is one too
                System.err.println("cannot decode: " + e.getMessage());
                return 1;
            }
            return 0;
        }
        int[] ids = t.encode(String.join(" ", rest), special, special);
        out.println(ids.length + " tokens: " + Arrays.toString(ids));
        for (int id : ids) out.printf("%8d  %-12s %s%n", id, t.vocabulary().type(id), t.vocabulary().token(id));
        return 0;
    }
}
