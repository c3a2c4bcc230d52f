package dev.quant4j.llm.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Token generation with a {@link Forward} and a {@link Sampler}, and the held-out sequences the evaluation uses. */
public final class Generator {
    private Generator() {}

    /**
     * The prompt (prefilled as one batch) followed by up to {@code maxNew} sampled tokens, stopping
     * early at the end of the context; the returned array holds prompt and continuation.
     */
    public static int[] generate(Forward f, int[] prompt, int maxNew, Sampler sampler) {
        if (prompt.length == 0) throw new IllegalArgumentException("generation needs at least one prompt token");
        int ctx = f.model().config().seqLen();
        int total = Math.min(ctx, prompt.length + maxNew);
        int[] out = Arrays.copyOf(prompt, total);
        if (prompt.length >= total) return Arrays.copyOf(prompt, Math.min(prompt.length, ctx));
        float[] logits = f.prefill(prompt, 0);
        for (int pos = prompt.length; pos < total; pos++) {
            out[pos] = sampler.sample(logits);
            if (pos + 1 < total) logits = f.forward(out[pos], pos);
        }
        return out;
    }

    /**
     * Held-out token sequences written by the model itself (its tokenizer being unavailable):
     * each starts with {@code bos} and one random token, then temperature-1 sampling; seeded (the
     * result does not depend on {@code threads}, the number of sequences generated at once).
     */
    public static List<int[]> heldOut(LlamaModel model, int count, int length, long seed, int bos, int threads) {
        if (length < 3 || length > model.config().seqLen())
            throw new IllegalArgumentException("sequence length " + length + " outside [3, " + model.config().seqLen() + "]");
        SplittableRandom rnd = new SplittableRandom(seed);
        int vocab = model.config().vocabSize();
        int[] starts = new int[count];
        long[] seeds = new long[count];
        for (int s = 0; s < count; s++) {
            starts[s] = 3 + rnd.nextInt(vocab - 3); // skip the <unk>, <s>, </s> ids of llama vocabularies
            seeds[s] = rnd.nextLong();
        }
        // Sequences are independent: with several threads each runs its own single-threaded forward.
        int[][] out = new int[count][];
        Parallel.forEach(count, threads, s -> out[s] = generate(new Forward(model, 1), new int[] {bos, starts[s]}, length - 2, new Sampler(1.0f, 0, 1f, seeds[s])));
        return new ArrayList<>(List.of(out));
    }
}
