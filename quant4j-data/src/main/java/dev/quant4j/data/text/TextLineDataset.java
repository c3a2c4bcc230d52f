package dev.quant4j.data.text;

import dev.quant4j.data.Dataset;
import dev.quant4j.data.Sample;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Rendered text lines with exact ground truth, rendered when asked. Sample {@code i} draws its
 * variation (and, for the direction classifier, whether it is upside down) from a generator seeded
 * by {@code seed} and {@code i} alone, so any sample can be reproduced on its own and the data set
 * reads the same in any order.
 */
public final class TextLineDataset implements Dataset<Sample> {
    public enum Task {
        /** Recognizer input 3×48×W; text = the string. */
        RECOGNITION,
        /** Classifier input 3×48×192; label 1 if rotated by 180°, else 0; text = the string. */
        DIRECTION
    }

    private final List<String> lines;
    private final TextLineRenderer renderer;
    private final Task task;
    private final int maxWidth;
    private final long seed;

    public TextLineDataset(List<String> lines, TextLineRenderer renderer, Task task, int maxWidth, long seed) {
        this.lines = List.copyOf(lines);
        this.renderer = renderer;
        this.task = task;
        this.maxWidth = maxWidth;
        this.seed = seed;
    }

    @Override public int size() { return lines.size(); }

    @Override
    public Sample get(int index) {
        String text = lines.get(index);
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        TextLineRenderer.Variation v = TextLineRenderer.Variation.random(r);
        return switch (task) {
            case RECOGNITION -> PpOcrInput.rec(renderer.render(text, v, false), maxWidth, text);
            case DIRECTION -> {
                boolean rotated = r.nextBoolean();
                yield PpOcrInput.cls(renderer.render(text, v, rotated), rotated ? 1 : 0, text);
            }
        };
    }

    @Override public String name() { return "rendered lines (" + renderer.family() + ")"; }
}
