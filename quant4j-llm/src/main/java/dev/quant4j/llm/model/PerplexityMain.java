package dev.quant4j.llm.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code llm perplexity}: a (quantized) model against its reference on held-out sequences the
 * reference wrote itself: KL divergence, top-1 agreement and both perplexities.
 * <pre>PerplexityMain REFERENCE(.bin|.gguf) CANDIDATE(.bin|.gguf) [sequences=80] [length=256] [seed=1] [threads=all]</pre>
 */
public final class PerplexityMain {
    private PerplexityMain() {}

    public static void main(String[] a) throws Exception {
        if (a.length < 2) {
            System.err.println("usage: PerplexityMain REFERENCE CANDIDATE [sequences] [length] [seed] [threads]");
            System.exit(2);
        }
        int n = a.length > 2 ? Integer.parseInt(a[2]) : 80;
        int len = a.length > 3 ? Integer.parseInt(a[3]) : 256;
        long seed = a.length > 4 ? Long.parseLong(a[4]) : 1;
        int threads = a.length > 5 ? Integer.parseInt(a[5]) : Runtime.getRuntime().availableProcessors();
        try (ModelFile ref = ModelFile.open(Path.of(a[0])); ModelFile cand = ModelFile.open(Path.of(a[1]))) {
            if (!ref.model().config().equals(cand.model().config()))
                throw new IllegalArgumentException("the models differ in shape: " + ref.model().config() + " vs " + cand.model().config());
            List<int[]> seqs = Generator.heldOut(ref.model(), n, Math.min(len, ref.model().config().seqLen()), seed, 1, 1);
            Evaluator.Metrics m = new Evaluator(ref.model(), seqs, threads).evaluate(cand.model());
            System.out.printf(Locale.ROOT, "tokens %d  KL %.6f ± %.6f (max %.4f)  top-1 %.4f  perplexity %.4f (reference %.4f)%n",
                    m.tokens(), m.klMean(), m.klStdErr(), m.klMax(), m.top1(), m.pplCandidate(), m.pplReference());
        }
    }
}
