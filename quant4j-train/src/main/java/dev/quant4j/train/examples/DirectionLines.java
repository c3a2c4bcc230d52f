package dev.quant4j.train.examples;

import dev.quant4j.data.text.BrownCorpus;
import dev.quant4j.data.text.TextLineDataset;
import dev.quant4j.data.text.TextLineRenderer;
import dev.quant4j.train.ImageSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Text lines for PP-OCR's direction classifier, rendered from the Brown corpus by quant4j-data
 * (3×48×192, label 1 = rotated 180°, drawn per line from the seed). Training and held-out lines
 * come from disjoint sentences: the first {@code trainSentences} sentences train, the next
 * {@code testSentences} are held out, and the two are rendered with different seeds.
 */
public final class DirectionLines {
    private DirectionLines() {}

    public static final int MAX_CHARS = 24;

    public record Split(ImageSet train, ImageSet test) {}

    public static Split load(Path brownGz, int trainSentences, int testSentences, String font, long seed) {
        List<String> sentences = BrownCorpus.read(brownGz, trainSentences + testSentences);
        if (sentences.size() < trainSentences + testSentences)
            throw new IllegalArgumentException(brownGz + " has " + sentences.size() + " sentences, " + (trainSentences + testSentences) + " asked");
        TextLineRenderer renderer = new TextLineRenderer(font);
        return new Split(render(lines(sentences.subList(0, trainSentences)), renderer, seed),
                render(lines(sentences.subList(trainSentences, trainSentences + testSentences)), renderer, seed + 1));
    }

    static List<String> lines(List<String> sentences) { return lines(sentences, MAX_CHARS); }

    static List<String> lines(List<String> sentences, int maxChars) {
        List<String> out = new ArrayList<>();
        for (String s : sentences) out.addAll(BrownCorpus.cutIntoLines(BrownCorpus.detokenize(s), maxChars));
        return out;
    }

    private static ImageSet render(List<String> lines, TextLineRenderer r, long seed) {
        return ImageSet.load(new TextLineDataset(lines, r, TextLineDataset.Task.DIRECTION, 960, seed), Integer.MAX_VALUE);
    }
}
