package dev.quant4j.llm.bench;

import dev.quant4j.llm.calib.CalibrationStats;
import dev.quant4j.llm.llama2c.Llama2cCheckpoint;
import dev.quant4j.llm.model.Evaluator;
import dev.quant4j.llm.model.Generator;
import dev.quant4j.llm.model.LlamaModel;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quantize.Method;
import dev.quant4j.llm.quantize.ModelQuantizer;
import dev.quant4j.llm.quantize.QuantizeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Quality of quantized stories260K against its fp32 self: KL divergence of the next-token
 * distributions, top-1 agreement and perplexity on held-out sequences the fp32 model wrote from
 * random start tokens (its tokenizer is not available), for each type × method.
 *
 * <pre>java -cp ... dev.quant4j.llm.bench.QualityFigures [stories260K.bin] [sequences] [length] [threads]</pre>
 * Defaults: 80 sequences of 256 tokens (20,400 predicted tokens), calibration on 32 other
 * sequences of 256 tokens.
 */
public final class QualityFigures {
    private QualityFigures() {}

    /** @param sameAs an earlier row whose quantized model is byte-identical (its figures reused), or null */
    public record Row(GgmlType type, Method method, boolean awq, double bitsPerWeight, int fallbacks, Evaluator.Metrics m, String sameAs) {}

    public static final GgmlType[] TYPES = {GgmlType.Q8_0, GgmlType.Q6_K, GgmlType.Q4_K, GgmlType.Q4_0};

    /** Held-out sequences use seed 1, calibration sequences seed 2: never the same text. */
    public static List<Row> run(LlamaModel fp32, int sequences, int length, int calibSequences, int threads, boolean withAwq, GgmlType... types) {
        List<int[]> heldOut = Generator.heldOut(fp32, sequences, length, 1, 1, threads);
        List<int[]> calib = Generator.heldOut(fp32, calibSequences, length, 2, 1, threads);
        CalibrationStats stats = CalibrationStats.collect(fp32, calib, true, threads);
        Evaluator ev = new Evaluator(fp32, heldOut, threads);
        List<Row> rows = new ArrayList<>();
        List<LlamaModel> models = new ArrayList<>();
        for (GgmlType t : types)
            for (Method m : Method.values())
                for (boolean awq : withAwq ? new boolean[] {false, true} : new boolean[] {false}) {
                    ModelQuantizer.Result r = ModelQuantizer.quantize(fp32, stats, QuantizeOptions.of(t, m).withAwq(awq));
                    int same = -1;
                    for (int i = 0; i < models.size() && same < 0; i++) if (identical(models.get(i), r.model())) same = i;
                    Row earlier = same < 0 ? null : rows.get(same);
                    rows.add(new Row(t, m, awq, r.bitsPerWeight(), r.fallbacks().size(), earlier == null ? ev.evaluate(r.model()) : earlier.m(),
                            earlier == null ? null : earlier.type() + " " + earlier.method() + (earlier.awq() ? "+AWQ" : "")));
                    models.add(r.model());
                }
        return rows;
    }

    /** Same types, same bytes, same norms: e.g. Q6_K on a model whose rows all fall back to Q8_0. */
    static boolean identical(LlamaModel a, LlamaModel b) {
        for (var e : a.matrices().entrySet()) {
            var x = e.getValue();
            var y = b.matrix(e.getKey());
            if (x.type() != y.type() || x.data().mismatch(y.data()) != -1) return false;
        }
        for (var e : a.norms().entrySet()) if (!java.util.Arrays.equals(e.getValue(), b.norm(e.getKey()))) return false;
        return true;
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/testdata/llm/stories260K.bin");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 80;
        int len = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(file)) {
            LlamaModel fp32 = LlamaModel.fromLlama2c(ck);
            long t0 = System.nanoTime();
            List<Row> rows = run(fp32, n, len, 32, threads, true, TYPES);
            System.out.printf(Locale.ROOT, "stories260K, %d held-out sequences x %d tokens = %d predicted tokens; fp32 perplexity %.4f (%.0f s)%n",
                    n, len, rows.get(0).m().tokens(), rows.get(0).m().pplReference(), (System.nanoTime() - t0) / 1e9);
            System.out.println("| type | method | bits/weight | fallbacks | KL mean (nats) | ± s.e. | KL max | top-1 agree | perplexity | note |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            for (Row r : rows)
                System.out.printf(Locale.ROOT, "| %s | %s%s | %.3f | %d | %.6f | %.6f | %.4f | %.4f | %.4f | %s |%n", r.type(), r.method(), r.awq() ? "+AWQ" : "",
                        r.bitsPerWeight(), r.fallbacks(), r.m().klMean(), r.m().klStdErr(), r.m().klMax(), r.m().top1(), r.m().pplCandidate(),
                        r.sameAs() == null ? "" : "identical model to " + r.sameAs());
            ModelQuantizer.Result example = ModelQuantizer.quantize(fp32, null, QuantizeOptions.of(GgmlType.Q4_K, Method.RTN));
            System.out.println("\nDecisions for Q4_K (the other types alike):");
            example.decisions().forEach(d -> System.out.println("  " + d));
        }
    }
}
