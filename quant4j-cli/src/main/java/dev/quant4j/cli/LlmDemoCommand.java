package dev.quant4j.cli;

import dev.quant4j.llm.model.Evaluator;
import dev.quant4j.llm.model.Forward;
import dev.quant4j.llm.model.Generator;
import dev.quant4j.llm.model.LlamaModel;
import dev.quant4j.llm.model.ModelFile;
import dev.quant4j.llm.model.Sampler;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quantize.GgufExport;
import dev.quant4j.llm.quantize.Method;
import dev.quant4j.llm.quantize.ModelQuantizer;
import dev.quant4j.llm.quantize.QuantizeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quant4j llm demo}: the built-in default job. Quantizes stories260K (llama2.c, fp32) to
 * Q8_0, Q4_0 and Q4_K by round-to-nearest, writes each as GGUF in a temporary folder, reads it
 * back, and compares it with fp32 on held-out sequences the fp32 model wrote (its tokenizer is
 * not available): KL divergence and top-1 agreement ({@link Evaluator}), file size, bits per
 * weight, and decode speed measured in the same run, rounds interleaved across the models.
 */
@Command(name = "demo", description = {"The built-in default job: quantize stories260K to Q8_0, Q4_0, Q4_K (RTN) in a temporary folder and",
        "print size, bits/weight, KL divergence and top-1 agreement with fp32, and decode speed, before and after."})
final class LlmDemoCommand implements Callable<Integer> {
    static final GgmlType[] TYPES = {GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K};

    @Option(names = "--model", paramLabel = "FILE", description = "The fp32 model (default: stories260K.bin from the test data folder: "
            + "-Dquant4j.testdata, $QUANT4J_TESTDATA, or ../shared/testdata next to the repository).")
    Path model;

    @Option(names = "--sequences", defaultValue = "4", description = "Held-out sequences (default: ${DEFAULT-VALUE}).")
    int sequences;

    @Option(names = "--length", defaultValue = "128", description = "Tokens per held-out sequence (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--decode-tokens", defaultValue = "128", description = "Decode steps per speed round (default: ${DEFAULT-VALUE}).")
    int decodeTokens;

    @Option(names = "--rounds", defaultValue = "5", description = "Speed rounds, interleaved across the models; the median is reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--threads", defaultValue = "0", description = "Threads for the evaluation (default: all processors); decoding runs on one.")
    int threads;

    @Option(names = "--json", description = "Print the rows as JSON.")
    boolean json;

    /** One line of the table; the fp32 row has no KL/top-1 (it is the reference). */
    public record Row(String model, long fileBytes, double bitsPerWeight, int fallbacks, Double klMean, Double klStdErr, Double top1,
                      double perplexity, double decodeTokensPerSecond) {}

    public record Report(String file, long heldOutTokens, double referencePerplexity, List<Row> rows) {}

    @Override
    public Integer call() throws Exception {
        Path file = model != null ? model : defaultModel();
        LlmFiles.requireReadable(file);
        int th = LlmFiles.threads(threads);
        Path tmp = Files.createTempDirectory("quant4j-demo");
        List<ModelFile> open = new ArrayList<>();
        try {
            ModelFile fp32File = ModelFile.open(file);
            open.add(fp32File);
            LlamaModel fp32 = fp32File.model();
            int len = Math.min(length, fp32.config().seqLen());
            progress("held-out text: %d sequences x %d tokens written by the fp32 model", sequences, len);
            Evaluator ev = new Evaluator(fp32, Generator.heldOut(fp32, sequences, len, 1, 1, th), th);

            List<LlamaModel> models = new ArrayList<>(List.of(fp32));
            List<Object[]> facts = new ArrayList<>(); // {name, bytes, bpw, fallbacks, metrics}
            facts.add(new Object[] {"fp32 (" + file.getFileName() + ")", Files.size(file), 32.0, 0, null});
            for (GgmlType t : TYPES) {
                progress("quantizing to %s (RTN)", t);
                ModelQuantizer.Result r = ModelQuantizer.quantize(fp32, null, QuantizeOptions.of(t, Method.RTN));
                Path out = tmp.resolve("stories260K-" + t + ".gguf");
                GgufExport.write(r.model(), out, file.getFileName().toString(), t, fp32File.gguf());
                // Evaluate what is on disk, not what is in memory: the file is the product.
                ModelFile back = ModelFile.open(out);
                open.add(back);
                models.add(back.model());
                facts.add(new Object[] {t.name(), Files.size(out), r.bitsPerWeight(), r.fallbacks().size(), ev.evaluate(back.model())});
            }
            double[] speed = decodeSpeed(models);
            List<Row> rows = new ArrayList<>();
            double pplRef = 0;
            for (int i = 0; i < facts.size(); i++) {
                Object[] f = facts.get(i);
                Evaluator.Metrics m = (Evaluator.Metrics) f[4];
                if (m != null) pplRef = m.pplReference();
                rows.add(new Row((String) f[0], (Long) f[1], (Double) f[2], (Integer) f[3], m == null ? null : m.klMean(), m == null ? null : m.klStdErr(),
                        m == null ? null : m.top1(), m == null ? Double.NaN : m.pplCandidate(), speed[i]));
            }
            Row ref = rows.getFirst();
            rows.set(0, new Row(ref.model(), ref.fileBytes(), ref.bitsPerWeight(), 0, null, null, null, pplRef, ref.decodeTokensPerSecond()));
            Report report = new Report(file.toString(), ev.tokens(), pplRef, rows);
            if (json) System.out.println(Json.write(report));
            else print(report, len);
        } finally {
            for (ModelFile f : open) f.close();
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
        return Quant4j.OK;
    }

    /** Median decode tokens/s per model; two warm-up passes each, then rounds interleaved so drift hits all models alike. */
    private double[] decodeSpeed(List<LlamaModel> models) {
        progress("decode speed: %d rounds x %d tokens per model, one thread", rounds, decodeTokens);
        int steps = Math.min(decodeTokens, models.getFirst().config().seqLen() - 1);
        double[][] rate = new double[models.size()][Math.max(1, rounds)];
        for (int w = 0; w < 2; w++) for (LlamaModel m : models) Generator.generate(new Forward(m, 1), new int[] {1}, steps, Sampler.greedy());
        for (int r = 0; r < rate[0].length; r++)
            for (int i = 0; i < models.size(); i++) {
                Forward f = new Forward(models.get(i), 1);
                long t0 = System.nanoTime();
                int[] out = Generator.generate(f, new int[] {1}, steps, Sampler.greedy());
                rate[i][r] = (out.length - 1) / ((System.nanoTime() - t0) / 1e9);
            }
        double[] med = new double[models.size()];
        for (int i = 0; i < med.length; i++) {
            Arrays.sort(rate[i]);
            med[i] = rate[i][rate[i].length / 2];
        }
        return med;
    }

    private void print(Report r, int len) {
        System.out.printf(Locale.ROOT, "%s: %d held-out tokens (%d sequences x %d, written by the fp32 model); fp32 perplexity %.4f%n",
                r.file(), r.heldOutTokens(), sequences, len, r.referencePerplexity());
        System.out.println("| model | file size | bits/weight | fallbacks | KL to fp32 (nats) | top-1 agreement | perplexity | decode tok/s | vs fp32 |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        double base = r.rows().getFirst().decodeTokensPerSecond();
        for (Row x : r.rows())
            System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %d | %s | %s | %.4f | %.0f | %.2fx |%n", x.model(), Sizes.bytes(x.fileBytes()), x.bitsPerWeight(),
                    x.fallbacks(), x.klMean() == null ? "reference" : String.format(Locale.ROOT, "%.6f ± %.6f", x.klMean(), x.klStdErr()),
                    x.top1() == null ? "reference" : String.format(Locale.ROOT, "%.4f", x.top1()), x.perplexity(), x.decodeTokensPerSecond(),
                    x.decodeTokensPerSecond() / base);
        System.out.println("fallbacks: tensors stored in another type because their rows do not fit the type's block (`quant4j llm quantize` lists each);");
        System.out.println("bits/weight counts all matrices with their scales; token embeddings stay at Q8_0. Decode: median of the rounds, one thread.");
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "quant4j: " + format + "%n", args);
    }

    static Path defaultModel() {
        String p = System.getProperty("quant4j.testdata");
        if (p == null || p.isBlank()) p = System.getenv("QUANT4J_TESTDATA");
        if (p != null && !p.isBlank()) return Path.of(p, "llm", "stories260K.bin");
        String repo = System.getProperty("quant4j.repo", "");
        return Path.of(repo.isBlank() ? "." : repo).toAbsolutePath().resolve("../shared/testdata/llm/stories260K.bin").normalize();
    }

}
