package dev.quant4j.data.text;

import dev.quant4j.data.DataFileException;
import dev.quant4j.data.io.FileBytes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Brown corpus as distributed in the test data: gzip (or plain) UTF-8 text, one tokenized
 * sentence a line. Read as a lazy stream, so taking the first thousand sentences does not inflate
 * the whole file.
 */
public final class BrownCorpus {
    private BrownCorpus() {}

    /** The sentences in file order, blank lines skipped; close the stream when done. */
    public static Stream<String> sentences(Path file) {
        BufferedReader r;
        try {
            r = new BufferedReader(new InputStreamReader(FileBytes.openStream(file),
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)));
        } catch (IOException e) {
            throw new DataFileException(file, "cannot open", e);
        }
        return r.lines().map(String::strip).filter(s -> !s.isEmpty()).onClose(() -> {
            try {
                r.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The first {@code limit} sentences (all if {@code limit} is negative). */
    public static List<String> read(Path file, int limit) {
        try (Stream<String> s = sentences(file)) {
            return limit < 0 ? s.toList() : s.limit(limit).toList();
        } catch (UncheckedIOException e) {
            String what = e.getCause() instanceof CharacterCodingException ? "not valid UTF-8" : "truncated or corrupt";
            throw new DataFileException(file, what, e.getCause());
        }
    }

    private static final Pattern SPACE_BEFORE = Pattern.compile(" ([,.;:?!)\\]}%]|'s\\b|n't\\b|'')");
    private static final Pattern SPACE_AFTER = Pattern.compile("([(\\[{$]) ");
    private static final Pattern QUOTED = Pattern.compile("\" ([^\"]*?) \"");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    /**
     * Undoes the corpus' tokenization so lines read like print: {@code word ,} → {@code word,},
     * {@code " quoted "} → {@code "quoted"}, {@code ( x )} → {@code (x)}. The result is the exact
     * ground truth of what gets rendered.
     */
    public static String detokenize(String s) {
        String t = SPACES.matcher(s.strip()).replaceAll(" ");
        t = QUOTED.matcher(t).replaceAll("\"$1\"");
        t = SPACE_BEFORE.matcher(t).replaceAll("$1");
        t = SPACE_AFTER.matcher(t).replaceAll("$1");
        return t;
    }

    /**
     * Cuts a sentence into lines of at most {@code maxChars} characters at spaces; a word longer
     * than a line is split inside. Lines have no leading or trailing spaces.
     */
    public static List<String> cutIntoLines(String sentence, int maxChars) {
        if (maxChars < 1) throw new IllegalArgumentException("maxChars " + maxChars);
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : SPACES.split(sentence.strip())) {
            if (word.isEmpty()) continue;
            while (word.length() > maxChars) {
                if (!line.isEmpty()) { lines.add(line.toString()); line.setLength(0); }
                lines.add(word.substring(0, maxChars));
                word = word.substring(maxChars);
            }
            if (!line.isEmpty() && line.length() + 1 + word.length() > maxChars) { lines.add(line.toString()); line.setLength(0); }
            if (!line.isEmpty()) line.append(' ');
            line.append(word);
        }
        if (!line.isEmpty()) lines.add(line.toString());
        return lines;
    }
}
