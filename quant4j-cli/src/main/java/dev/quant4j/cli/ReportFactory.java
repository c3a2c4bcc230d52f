package dev.quant4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.core.DataType;
import dev.quant4j.eval.MetricResult;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.report.Estimate;
import dev.quant4j.report.Histogram;
import dev.quant4j.report.LatencyRow;
import dev.quant4j.report.MetricComparison;
import dev.quant4j.report.ModelSummary;
import dev.quant4j.report.PrecisionShare;
import dev.quant4j.report.Provenance;
import dev.quant4j.report.QuantGrid;
import dev.quant4j.report.Report;
import dev.quant4j.report.TensorDecision;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.ValueObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a {@link Comparison} and the models themselves into quant4j-report's records: sizes and
 * precision shares read from the initializers, metrics with their intervals, latency, activation
 * histograms (values seen on real samples in the reference model) with each QuantizeLinear's grid,
 * weight histograms of what is stored with the grid of the widest channel, and the decisions the
 * quantized model carries in its metadata.
 */
final class ReportFactory {
    private static final int BINS = 96;

    private ReportFactory() {}

    static Report.Builder build(String title, Comparison.Result c, List<Model> models, SampleData activationsData) {
        Report.Builder b = Report.builder(title);
        for (int i = 0; i < models.size(); i++) {
            Comparison.Row r = c.rows().get(i);
            b.model(new ModelSummary(r.label(), r.file(), r.bytes(), shares(models.get(i))));
        }
        Comparison.Row ref = c.rows().getFirst();
        boolean up = c.metric().higherIsBetter();
        for (Comparison.Row r : c.rows().subList(1, c.rows().size())) {
            MetricResult d = r.drop();   // positive = worse; the report's delta is after - before
            Estimate delta = up ? new Estimate(-d.value(), -d.ciHigh(), -d.ciLow()) : new Estimate(d.value(), d.ciLow(), d.ciHigh());
            b.metric(new MetricComparison(c.metric().name(), c.task(), ref.label(), r.label(), r.metric().n(), 0.95, up, estimate(ref.metric()),
                    estimate(r.metric()), delta));
        }
        for (Comparison.Row r : c.rows())
            if (r.latency() != null) {
                ModelBench.Row l = r.latency();
                b.latency(new LatencyRow(r.label(), l.engine(), l.runs(), l.p50Ms(), l.p90Ms(), l.p99Ms(), l.throughput(), null));
            }
        if (models.size() > 1) {
            Model q = models.get(models.size() - 1);
            histograms(b, q, models.getFirst(), activationsData);
            Provenance p = provenance(q);
            if (p != null) b.provenance(p);
        }
        return b;
    }

    /** quant4j-tune's search as the report's: every measured candidate (for the Pareto front) and the decision path. */
    static dev.quant4j.report.SearchResult search(AutoQuantize.Outcome o, String boundText) {
        var r = o.search();
        double ref = r.reference().metric().value(), allowed = r.bound().allowed(ref);
        List<dev.quant4j.report.SearchCandidate> cands = new ArrayList<>();
        List<dev.quant4j.report.SearchStep> path = new ArrayList<>();
        for (var st : r.steps()) {
            var m = st.measurement();
            double ms = m.latency().medianMs();
            cands.add(new dev.quant4j.report.SearchCandidate("step " + st.index() + (st.index() == 0 ? " (fp32)" : ""), m.sizeBytes(), Double.isFinite(ms) ? ms : null,
                    m.metric().value(), st.meets(), st.index() == r.best()));
            path.add(new dev.quant4j.report.SearchStep(st.index(), st.action(),
                    st.changes().stream().map(c -> new dev.quant4j.report.PrecisionChange(c.node(), c.from() == null ? "fp32" : c.from().id(), c.to().id())).toList(),
                    m.metric().value(), st.meets(), st.accepted(), st.reason()));
        }
        return new dev.quant4j.report.SearchResult(o.metric(), o.higherIsBetter(), r.objective().name().toLowerCase(java.util.Locale.ROOT), "--max-drop " + boundText,
                o.higherIsBetter() ? ref - allowed : ref + allowed, cands, path);
    }

    static Estimate estimate(MetricResult m) {
        return Double.isNaN(m.ciLow()) ? Estimate.of(m.value()) : new Estimate(m.value(), m.ciLow(), m.ciHigh());
    }

    /** Tensors, parameters and bytes per stored type (the precision the bytes are held in). */
    static List<PrecisionShare> shares(Model m) {
        Map<String, long[]> by = new TreeMap<>();
        for (Tensor t : m.graph().initializers().values()) {
            long[] s = by.computeIfAbsent(precisionOf(t.dtype()), k -> new long[3]);
            s[0]++;
            s[1] += t.elementCount();
            s[2] += t.byteSize();
        }
        List<PrecisionShare> out = new ArrayList<>();
        by.forEach((k, v) -> out.add(new PrecisionShare(k, v[0], v[1], v[2])));
        return out;
    }

    private static String precisionOf(DataType t) {
        return switch (t) {
            case FLOAT32 -> "fp32";
            case FLOAT16 -> "fp16";
            case BFLOAT16 -> "bf16";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Activation histograms on a few samples of the reference, and stored weights, each with its grid. */
    private static void histograms(Report.Builder b, Model q, Model reference, SampleData data) {
        Graph g = q.graph();
        Map<String, QuantGrid> activationGrids = new LinkedHashMap<>();
        for (Node n : g.nodes()) {
            if (n.opType().equals("QuantizeLinear") && n.inputs().size() >= 3) {
                QuantGrid grid = grid(g, n.input(1), n.input(2), 0);
                if (grid != null && g.initializers().get(n.input(0)) == null) activationGrids.put(n.input(0), grid);
            }
            if (n.opType().equals("DequantizeLinear")) {
                Tensor w = g.initializers().get(n.input(0));
                if (w == null || (w.dtype() != DataType.INT8 && w.dtype() != DataType.UINT8) || w.rank() < 2) continue;
                Tensor s = g.initializers().get(n.input(1));
                int widest = 0;
                float[] sc = s.floats();
                for (int i = 1; i < sc.length; i++) if (sc[i] > sc[widest]) widest = i;
                QuantGrid grid = grid(g, n.input(1), n.inputs().size() > 2 ? n.input(2) : null, widest);
                if (grid == null) continue;
                float[] v = dequantized(w, sc, (int) n.attributes().getInt("axis", 1));
                b.histogram(Histogram.of(n.input(0) + (sc.length > 1 ? " (grid: widest of " + sc.length + " channels)" : ""), "weight", v, BINS, grid));
            }
        }
        if (data == null || activationGrids.isEmpty()) return;
        Map<String, List<float[]>> seen = new HashMap<>();
        try (Session s = Session.create(reference)) {
            int n = Math.min(data.size(), 64);
            for (int from = 0; from < n; from += 16) {
                Map<String, Tensor> feeds = data.batch(from, Math.min(n, from + 16));
                for (var e : feeds.entrySet())
                    if (activationGrids.containsKey(e.getKey()) && e.getValue().dtype() == DataType.FLOAT32)
                        seen.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().floats());
                s.run(feeds, new ValueObserver() {
                    @Override public boolean wants(String v) { return activationGrids.containsKey(v); }
                    @Override public void onValue(String v, Node producer, Tensor t) {
                        if (t.dtype() == DataType.FLOAT32) seen.computeIfAbsent(v, k -> new ArrayList<>()).add(t.floats());
                    }
                });
            }
        }
        activationGrids.forEach((v, grid) -> {
            List<float[]> parts = seen.get(v);
            if (parts == null) return;
            int len = parts.stream().mapToInt(a -> a.length).sum();
            float[] all = new float[len];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, all, at, p.length);
                at += p.length;
            }
            b.histogram(Histogram.of(v, "activation", all, BINS, grid));
        });
    }

    private static QuantGrid grid(Graph g, String scaleName, String zeroPointName, int channel) {
        Tensor s = g.initializers().get(scaleName);
        if (s == null || s.dtype() != DataType.FLOAT32) return null;
        Tensor z = zeroPointName == null ? null : g.initializers().get(zeroPointName);
        DataType t = z == null ? DataType.INT8 : z.dtype();
        long zp = z == null ? 0 : z.getLong(Math.min(channel, z.elementCount() - 1));
        long[] range = switch (t) {
            case UINT8 -> new long[] {0, 255};
            case INT8 -> new long[] {-128, 127};
            case UINT16 -> new long[] {0, 65535};
            case INT16 -> new long[] {-32768, 32767};
            default -> null;
        };
        return range == null ? null : new QuantGrid(s.floats()[Math.min(channel, (int) s.elementCount() - 1)], zp, range[0], range[1]);
    }

    private static float[] dequantized(Tensor w, float[] scales, int axis) {
        long[] shape = w.shape();
        int a = axis < 0 ? axis + shape.length : axis;
        long inner = 1;
        for (int i = a + 1; i < shape.length; i++) inner *= shape[i];
        int n = (int) w.elementCount();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int c = scales.length == 1 ? 0 : (int) ((i / inner) % shape[a]);
            out[i] = (float) (w.getLong(i) * (double) scales[c]);
        }
        return out;
    }

    /** quant4j-tune's provenance record if the model carries one, else the command line's run record and the passes' decisions. */
    static Provenance provenance(Model m) {
        var tuned = dev.quant4j.tune.auto.Provenance.readFrom(m);
        if (tuned.isPresent()) {
            var p = tuned.get();
            List<TensorDecision> d = p.tensors().stream().map(t -> new TensorDecision(t.tensor(), t.precision().id(), t.action(), t.reason())).toList();
            return new Provenance(p.tool(), p.toolVersion(), p.calibration() == null ? "" : p.calibration().sha256(), p.settings(), d);
        }
        String run = m.metadata().get(RunRecord.KEY);
        if (run == null) return null;
        ObjectMapper json = new ObjectMapper();
        try {
            JsonNode r = json.readTree(run);
            Map<String, String> settings = new LinkedHashMap<>();
            r.fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
            List<TensorDecision> d = new ArrayList<>();
            for (var e : m.metadata().entrySet()) {
                if (!e.getKey().startsWith("quant4j.quantization.")) continue;
                for (JsonNode x : json.readTree(e.getValue()).get("entries"))
                    d.add(new TensorDecision(x.get("node").asText(), x.get("precision").asText(), x.get("outcome").asText(), x.get("reason").asText()));
            }
            String version = settings.getOrDefault("tool", "quant4j").replace("quant4j ", "");
            return new Provenance("quant4j", version, settings.getOrDefault("calibrationSha256", ""), settings, d);
        } catch (java.io.IOException e) {
            throw new BadInputException(java.nio.file.Path.of(m.graph().name() == null ? "model" : m.graph().name()), "unreadable quant4j metadata: " + e.getMessage());
        }
    }
}
