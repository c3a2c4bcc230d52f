package dev.quant4j.tune.auto;

import dev.quant4j.quantize.Precision;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Automatic precision: the best per-layer plan that meets a bound on the task metric, found by
 * measuring candidates on held-out data.
 *
 * <pre>
 *   0. measure the fp32 reference
 *   1. measure the most aggressive plan (each layer at the first level of its ladder; under
 *      FASTEST, only precisions the speed gate measured to pay off for that layer)
 *   2. if it misses the bound: revert the k most harmful layers (by sensitivity) to fp32, k = 1, 2,
 *      4, ... until a plan meets the bound, then bisect k between the last miss and the first hit
 *   2b. under FASTEST: plans of only the k layers whose gate timing saves the most (k = 1, 2, 4, ...),
 *      since layers faster alone need not make the whole model faster
 *   3. refine: for each reverted layer, least harmful first, try its more aggressive levels again
 *      (int4, then int8, ...) on top of the current plan; keep a change that still meets the bound
 *      and improves the objective
 *   4. choose, among every measured candidate that met the bound (the reference always does),
 *      the best by the objective
 * </pre>
 *
 * The bisection assumes the drop shrinks as more harmful layers are reverted; where noise breaks
 * that, the search may take more layers back than needed, never fewer: nothing is chosen unless
 * it was measured to meet the bound. Each measured candidate costs one evaluation; the search
 * stops at {@link Settings#maxEvaluations}.
 */
public final class AutoPrecision {
    /** Measures a plan (node → precision; absent nodes fp32) on the held-out data. */
    @FunctionalInterface
    public interface Measurer {
        Measurement measure(Map<String, Precision> plan) throws Exception;

        /**
         * The plans timed side by side, interleaved in one run (a fairer comparison than latencies measured
         * one candidate at a time on a shared machine), or null when this measurer cannot.
         */
        default List<Latency> timeSideBySide(List<Map<String, Precision>> plans) throws Exception { return null; }
    }

    /** @param maxEvaluations measured candidates at most, the reference included */
    public record Settings(MetricBound bound, Objective objective, int maxEvaluations) {
        public Settings {
            if (bound == null || objective == null) throw new IllegalArgumentException("bound and objective are required");
            if (maxEvaluations < 2) throw new IllegalArgumentException("maxEvaluations must be >= 2 (reference and one candidate), got " + maxEvaluations);
        }
    }

    private final List<LayerLadder> layers;
    private final Map<String, Double> harm;
    private final Measurer measurer;
    private final Settings settings;
    private final SpeedGate.Result gate;
    private final List<SearchStep> steps = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Integer> startLevel = new LinkedHashMap<>();

    private AutoPrecision(List<LayerLadder> layers, Map<String, Double> harm, Measurer measurer, Settings settings, SpeedGate.Result gate) {
        this.layers = List.copyOf(layers);
        this.harm = Map.copyOf(harm);
        this.measurer = measurer;
        this.settings = settings;
        this.gate = gate;
    }

    /**
     * @param harm  how much each layer costs when quantized (larger = more harmful; e.g. the metric drop
     *              with only that layer quantized); layers without a figure count as harmless
     * @param gate  per-layer timings; consulted under {@link Objective#FASTEST}; may be null
     */
    public static SearchResult search(List<LayerLadder> layers, Map<String, Double> harm, Measurer measurer, Settings settings,
                                      SpeedGate.Result gate) throws Exception {
        return new AutoPrecision(layers, harm, measurer, settings, gate).run();
    }

    private SearchResult run() throws Exception {
        Map<String, Precision> fp32 = new LinkedHashMap<>();
        for (LayerLadder l : layers) fp32.put(l.node(), Precision.FP32);
        Measurement ref = measurer.measure(fp32);
        steps.add(new SearchStep(0, -1, "fp32 reference", List.of(), ref, true, true, "the reference meets any bound"));
        for (LayerLadder l : layers) startLevel.put(l.node(), firstUsableLevel(l));
        Map<String, Precision> start = planAt(startLevel);
        int current = 0;
        if (start.values().stream().allMatch(p -> p == Precision.FP32)) {
            notes.add("no layer has a usable quantized precision: the fp32 model is the answer");
        } else {
            SearchStep first = evaluate(0, start, "most aggressive plan: every layer at its first usable level");
            if (first.meets()) current = accept(first);
            else current = revertHarmful(start);
            if (settings.objective() == Objective.FASTEST) current = fastestSubsets(start, current);
            refine(current);
        }
        return finish();
    }

    /** Steps 2: the smallest k such that reverting the k most harmful layers meets the bound. */
    private int revertHarmful(Map<String, Precision> start) throws Exception {
        List<String> order = layers.stream().map(LayerLadder::node).filter(n -> start.get(n) != Precision.FP32)
                .sorted(Comparator.comparingDouble((String n) -> -harm.getOrDefault(n, 0.0))).toList();
        int n = order.size(), lo = 0, hi = n, hiStep = 0;   // hi = n: every layer reverted, the reference (step 0)
        for (int k = 1; k < n && budgetLeft(); k = Math.min(2 * k, n)) {
            SearchStep s = evaluate(1, reverted(start, order, k), "revert the " + k + " most harmful layer(s) to fp32");
            if (s.meets()) { hi = k; hiStep = s.index(); break; }
            lo = k;
            if (k == n - 1) break;
        }
        while (hi - lo > 1 && budgetLeft()) {
            int mid = (lo + hi) / 2;
            SearchStep s = evaluate(1, reverted(start, order, mid), "bisect: revert the " + mid + " most harmful layer(s) to fp32");
            if (s.meets()) { hi = mid; hiStep = s.index(); } else lo = mid;
        }
        if (hiStep == 0) notes.add("no partial revert met the bound within the budget: continuing from the fp32 reference");
        return accept(steps.get(hiStep));
    }

    /**
     * Step 2b, FASTEST only: layers that are faster alone can make the whole model slower (the Q/DQ
     * pairs between quantized and float neighbours, an engine fusion the quantized form breaks), so
     * the whole model decides: plans of only the k layers the gate measured to save the most time,
     * k = 1, 2, 4, ...; the fastest that meets the bound is kept.
     */
    private int fastestSubsets(Map<String, Precision> start, int current) throws Exception {
        List<String> bySaving = layers.stream().map(LayerLadder::node).filter(n -> start.get(n) != Precision.FP32)
                .sorted(Comparator.comparingDouble((String n) -> -saving(n, start.get(n)))).toList();
        int cur = current;
        for (int k = 1; k < bySaving.size() && budgetLeft(); k *= 2) {
            Map<String, Precision> plan = new LinkedHashMap<>();
            for (LayerLadder l : layers) plan.put(l.node(), Precision.FP32);
            for (String n : bySaving.subList(0, k)) plan.put(n, start.get(n));
            SearchStep s = evaluate(0, plan, "speed: only the " + k + " layer(s) the gate measured to save the most time");
            if (s.meets() && better(s.measurement(), steps.get(cur).measurement())) cur = accept(s);
        }
        return cur;
    }

    /** Milliseconds the gate measured a layer's quantized form to save (0 when not timed). */
    private double saving(String node, Precision p) {
        if (gate == null) return 0;
        return gate.timing(node, p).map(t -> t.floatLatency() == null || t.quantizedLatency() == null ? 0
                : t.floatLatency().medianMs() - t.quantizedLatency().medianMs()).orElse(0.0);
    }

    /** Step 3: give reverted layers back their more aggressive levels where the bound still holds. */
    private void refine(int current) throws Exception {
        List<String> reverted = layers.stream().map(LayerLadder::node)
                .filter(n -> steps.get(current).measurement().plan().get(n) == Precision.FP32 && startLevel.get(n) < ladder(n).fp32Level())
                .sorted(Comparator.comparingDouble((String n) -> harm.getOrDefault(n, 0.0))).toList();
        int cur = current;
        for (String node : reverted) {
            LayerLadder l = ladder(node);
            for (int level = startLevel.get(node); level < l.fp32Level(); level++) {
                if (!budgetLeft()) { notes.add("evaluation budget (" + settings.maxEvaluations() + ") exhausted during refinement"); return; }
                if (!usable(l, level)) continue;
                Map<String, Precision> plan = new LinkedHashMap<>(steps.get(cur).measurement().plan());
                plan.put(node, l.at(level));
                SearchStep s = evaluate(cur, plan, "refine: " + node + " fp32 -> " + l.at(level).id());
                if (s.meets() && better(s.measurement(), steps.get(cur).measurement())) { cur = accept(s); break; }
                steps.set(s.index(), new SearchStep(s.index(), s.from(), s.action(), s.changes(), s.measurement(), s.meets(), false,
                        s.reason() + (s.meets() ? "; not " + (settings.objective() == Objective.SMALLEST ? "smaller" : "faster") + " than step " + cur : "")));
            }
        }
    }

    private SearchStep evaluate(int from, Map<String, Precision> plan, String action) throws Exception {
        Map<String, Precision> base = steps.get(from).measurement().plan();
        List<SearchStep.Change> changes = new ArrayList<>();
        for (var e : plan.entrySet()) if (base.get(e.getKey()) != e.getValue()) changes.add(new SearchStep.Change(e.getKey(), base.get(e.getKey()), e.getValue()));
        Measurement m = measurer.measure(plan);
        MetricBound.Verdict v = settings.bound().judge(steps.get(0).measurement(), m);
        SearchStep s = new SearchStep(steps.size(), from, action, changes, m, v.meets(), false, v.reason());
        steps.add(s);
        return s;
    }

    private int accept(SearchStep s) {
        steps.set(s.index(), new SearchStep(s.index(), s.from(), s.action(), s.changes(), s.measurement(), s.meets(), true, s.reason()));
        return s.index();
    }

    private SearchResult finish() throws Exception {
        int best = 0;
        for (SearchStep s : steps) if (s.meets() && better(s.measurement(), steps.get(best).measurement())) best = s.index();
        if (settings.objective() == Objective.FASTEST && best != 0) best = finalRound(best);
        // the before/after latency the user reads: reference and chosen timed together, not minutes apart
        List<Latency> sideBySide = best == 0 ? null : measurer.timeSideBySide(List.of(steps.get(0).measurement().plan(), steps.get(best).measurement().plan()));
        MetricBound b = settings.bound();
        return new SearchResult(b, settings.objective(), best, List.copyOf(steps), reasons(best), List.copyOf(notes),
                ParetoFront.of(steps, m -> m.sizeBytes()), ParetoFront.of(steps, m -> m.latency().medianMs()), sideBySide);
    }

    /**
     * FASTEST picks from latencies measured one candidate at a time, so the lowest is partly luck. The
     * reference, the most aggressive plan (every layer the gate approved) and the three fastest other
     * candidates that meet the bound are timed again side by side, and the fastest there wins (the
     * reference too, if nothing beats it).
     */
    private int finalRound(int best) throws Exception {
        List<SearchStep> finalists = new ArrayList<>(List.of(steps.get(0)));
        if (steps.size() > 1 && steps.get(1).meets()) finalists.add(steps.get(1));
        steps.stream().filter(s -> !finalists.contains(s) && s.meets())
                .sorted(Comparator.comparingDouble(s -> s.measurement().latency().medianMs())).limit(3).forEach(finalists::add);
        List<Latency> l = measurer.timeSideBySide(finalists.stream().map(s -> s.measurement().plan()).toList());
        if (l == null) return best;
        int win = 0;
        StringBuilder b = new StringBuilder("final round, side by side:");
        for (int i = 0; i < finalists.size(); i++) {
            if (l.get(i).medianMs() < l.get(win).medianMs()) win = i;
            b.append(String.format(Locale.ROOT, " step %d %.3f ms%s", finalists.get(i).index(), l.get(i).medianMs(), i + 1 < finalists.size() ? "," : ""));
        }
        notes.add(b.append("; step ").append(finalists.get(win).index()).append(" chosen").toString());
        return finalists.get(win).index();
    }

    private boolean better(Measurement a, Measurement b) {
        double sa = a.sizeBytes(), sb = b.sizeBytes(), la = a.latency().medianMs(), lb = b.latency().medianMs();
        return settings.objective() == Objective.SMALLEST ? sa < sb || (sa == sb && la < lb) : la < lb || (la == lb && sa < sb);
    }

    /** Per node: the most recent step on the chosen candidate's lineage that set its precision. */
    private Map<String, String> reasons(int best) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = best; i > 0; i = steps.get(i).from()) {
            SearchStep s = steps.get(i);
            for (SearchStep.Change c : s.changes())
                out.putIfAbsent(c.node(), c.to().id() + ": step " + s.index() + " (" + s.action() + harmNote(c.node()) + "): " + s.reason());
        }
        for (LayerLadder l : layers) {
            if (out.containsKey(l.node())) continue;
            String why = l.levels().size() == 1 ? "fp32: no quantized precision allowed for " + l.opType() : "fp32: reference (no step changed it)";
            out.put(l.node(), why + gateNote(l));
        }
        return out;
    }

    private String harmNote(String node) {
        Double h = harm.get(node);
        return h == null ? "" : String.format(java.util.Locale.ROOT, "; this layer's harm %.4g", h);
    }

    private String gateNote(LayerLadder l) {
        if (settings.objective() != Objective.FASTEST || gate == null) return "";
        StringBuilder b = new StringBuilder();
        for (Precision p : l.levels()) {
            if (p == Precision.FP32) continue;
            b.append("; speed gate ").append(p.id()).append(": ").append(gate.timing(l.node(), p).map(LayerTiming::reason).orElse("not timed"));
        }
        return b.toString();
    }

    private int firstUsableLevel(LayerLadder l) {
        for (int level = 0; level < l.fp32Level(); level++) if (usable(l, level)) return level;
        return l.fp32Level();
    }

    /** Under FASTEST a quantized level is usable only where the speed gate measured it to pay off. */
    private boolean usable(LayerLadder l, int level) {
        if (settings.objective() != Objective.FASTEST || l.at(level) == Precision.FP32) return true;
        return gate != null && gate.timing(l.node(), l.at(level)).map(LayerTiming::paysOff).orElse(false);
    }

    private Map<String, Precision> planAt(Map<String, Integer> levels) {
        Map<String, Precision> plan = new LinkedHashMap<>();
        for (LayerLadder l : layers) plan.put(l.node(), l.at(levels.get(l.node())));
        return plan;
    }

    private static Map<String, Precision> reverted(Map<String, Precision> start, List<String> order, int k) {
        Map<String, Precision> plan = new LinkedHashMap<>(start);
        for (int i = 0; i < k; i++) plan.put(order.get(i), Precision.FP32);
        return plan;
    }

    private LayerLadder ladder(String node) {
        return layers.stream().filter(l -> l.node().equals(node)).findFirst().orElseThrow();
    }

    private boolean budgetLeft() { return steps.size() < settings.maxEvaluations(); }
}
