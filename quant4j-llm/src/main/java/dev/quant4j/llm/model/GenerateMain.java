package dev.quant4j.llm.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code llm generate}: token ids in, token ids out (the tokenizer layer turns text into ids).
 * <pre>GenerateMain MODEL(.bin|.gguf) PROMPT_IDS(comma-separated) [steps=64] [temperature=0.8] [topK=40] [topP=0.95] [seed=1] [threads=all]</pre>
 */
public final class GenerateMain {
    private GenerateMain() {}

    public static void main(String[] a) throws Exception {
        if (a.length < 2) {
            System.err.println("usage: GenerateMain MODEL PROMPT_IDS [steps] [temperature] [topK] [topP] [seed] [threads]");
            System.exit(2);
        }
        int[] prompt = Arrays.stream(a[1].split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        int steps = a.length > 2 ? Integer.parseInt(a[2]) : 64;
        float temp = a.length > 3 ? Float.parseFloat(a[3]) : 0.8f;
        int topK = a.length > 4 ? Integer.parseInt(a[4]) : 40;
        float topP = a.length > 5 ? Float.parseFloat(a[5]) : 0.95f;
        long seed = a.length > 6 ? Long.parseLong(a[6]) : 1;
        int threads = a.length > 7 ? Integer.parseInt(a[7]) : Runtime.getRuntime().availableProcessors();
        try (ModelFile mf = ModelFile.open(Path.of(a[0]))) {
            long t0 = System.nanoTime();
            int[] out = Generator.generate(new Forward(mf.model(), threads), prompt, steps, new Sampler(temp, topK, topP, seed));
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.println(Arrays.toString(out));
            System.err.printf(Locale.ROOT, "%d tokens in %.2f s (%.1f tok/s including prefill)%n", out.length - prompt.length, s, (out.length - prompt.length) / s);
        }
    }
}
