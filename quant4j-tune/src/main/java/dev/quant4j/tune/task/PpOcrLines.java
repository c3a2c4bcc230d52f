package dev.quant4j.tune.task;

import dev.quant4j.data.Sample;
import dev.quant4j.data.text.BrownCorpus;
import dev.quant4j.data.text.TextLineDataset;
import dev.quant4j.data.text.TextLineRenderer;
import dev.quant4j.tune.EvalData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * PP-OCR recognizer data: Brown corpus sentences cut into lines and rendered by quant4j-data, so
 * the expected text is exact; and the recognizer's dictionary (index 0 the CTC blank, 1..n the
 * lines of ppocr_keys_v1.txt, n+1 a space).
 */
public final class PpOcrLines {
    public static final String INPUT = "x", OUTPUT = "softmax_11.tmp_0";

    private PpOcrLines() {}

    /** Lines of at most {@code maxChars} characters from the first {@code sentences} Brown sentences. */
    public static List<String> lines(Path brown, int sentences, int maxChars) {
        List<String> lines = new ArrayList<>();
        for (String s : BrownCorpus.read(brown, sentences)) lines.addAll(BrownCorpus.cutIntoLines(BrownCorpus.detokenize(s), maxChars));
        return lines;
    }

    /** The lines rendered in {@code font} as recognizer inputs [1, 3, 48, W] (W at most {@code maxWidth}). */
    public static EvalData<Sample> recognition(List<String> lines, String font, int maxWidth, long seed) {
        TextLineDataset ds = new TextLineDataset(lines, new TextLineRenderer(font), TextLineDataset.Task.RECOGNITION, maxWidth, seed);
        return EvalData.of(ds, EvalData.batchOfOne(INPUT));
    }

    /** Class id to text for the recognizer's output. */
    public static IntFunction<String> dictionary(Path keys) throws IOException {
        List<String> k = Files.readAllLines(keys, StandardCharsets.UTF_8);
        return id -> {
            if (id == k.size() + 1) return " ";
            if (id < 1 || id > k.size()) throw new IllegalArgumentException("class " + id + " outside the dictionary of " + k.size() + " keys in " + keys);
            return k.get(id - 1);
        };
    }

    /** CER of the recognizer on {@code data}. */
    public static CtcRecognitionTask task(EvalData<Sample> data, Path keys) throws IOException {
        return new CtcRecognitionTask("PP-OCRv4 rec CER", data, OUTPUT, 0, dictionary(keys));
    }
}
