package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.ExecContext;
import dev.quant4j.runtime.GraphRunner;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * If, Loop and Scan over tensors. Bodies are compiled once with the node (their constant weights
 * packed then) and run in the enclosing graph's scope, so they read outer values by name.
 */
final class ControlFlowOps {
    private ControlFlowOps() {}

    static void register(OpRegistry r) {
        r.register("If", ControlFlowOps::ifOp);
        r.register("Loop", ControlFlowOps::loop);
        r.register("Scan", ScanOp::create);
    }

    private static GraphRunner body(NodeSetup s, String attr) {
        Graph g = s.attributes().getGraph(attr);
        if (g == null) throw s.error("attribute '" + attr + "' (a graph) is missing");
        return s.compile(g);
    }

    /** Runs a body and returns its outputs in declared order (by name, so repeated names repeat). */
    static List<Tensor> call(GraphRunner body, Map<String, Tensor> feeds, ExecContext ctx) {
        Map<String, Tensor> out = body.run(feeds, ctx.scope(), ctx.observer());
        List<Tensor> list = new ArrayList<>();
        for (String name : body.graph().outputNames()) list.add(out.get(name));
        return list;
    }

    private static Op ifOp(NodeSetup s) {
        GraphRunner then = body(s, "then_branch"), otherwise = body(s, "else_branch");
        return (in, ctx) -> {
            if (in[0].elementCount() != 1) throw new IllegalArgumentException("If condition must hold one element, has shape " + Arrays.toString(in[0].shape()));
            return call(in[0].getLong(0) != 0 ? then : otherwise, Map.of(), ctx).toArray(Tensor[]::new);
        };
    }

    private static Op loop(NodeSetup s) {
        GraphRunner body = body(s, "body");
        List<String> bodyIn = body.graph().inputNames();
        return (in, ctx) -> {
            int carried = in.length - 2;
            if (bodyIn.size() != carried + 2) throw new IllegalArgumentException("Loop body takes " + bodyIn.size() + " inputs, the node gives " + in.length);
            long max = in[0] != null ? in[0].getLong(0) : Long.MAX_VALUE;
            boolean cond = in[1] == null || in[1].getLong(0) != 0;
            Tensor[] v = Arrays.copyOfRange(in, 2, in.length);
            int scans = body.graph().outputs().size() - 1 - carried;
            if (scans < 0) throw new IllegalArgumentException("Loop body has too few outputs");
            List<List<Tensor>> scanned = new ArrayList<>();
            for (int k = 0; k < scans; k++) scanned.add(new ArrayList<>());
            for (long i = 0; i < max && cond; i++) {
                Map<String, Tensor> feeds = new HashMap<>();
                feeds.put(bodyIn.get(0), Tensors.ofLongs(new long[] {i}));
                feeds.put(bodyIn.get(1), Tensor.ofBooleans(new boolean[] {cond}));
                for (int k = 0; k < carried; k++) feeds.put(bodyIn.get(2 + k), v[k]);
                List<Tensor> out = call(body, feeds, ctx);
                cond = out.get(0).getLong(0) != 0;
                for (int k = 0; k < carried; k++) v[k] = out.get(1 + k);
                for (int k = 0; k < scans; k++) scanned.get(k).add(out.get(1 + carried + k));
            }
            Tensor[] result = Arrays.copyOf(v, carried + scans);
            for (int k = 0; k < scans; k++) {
                List<Tensor> parts = scanned.get(k);
                // With no iteration the element shape is unknown: an empty float vector stands in.
                result[carried + k] = parts.isEmpty() ? Tensors.ofFloats(new float[0], 0) : AxisSlices.stack(parts, 0);
            }
            return result;
        };
    }
}
