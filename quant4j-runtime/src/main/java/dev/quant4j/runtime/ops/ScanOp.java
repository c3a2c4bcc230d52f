package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.ExecContext;
import dev.quant4j.runtime.GraphRunner;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scan: runs the body once per position along the scan axis of the scan inputs, carrying state
 * tensors, and stacks the body's scan outputs. Opset 9+ has per-input/per-output axes and
 * directions; opset 8 has a leading batch axis on every input (scanned per batch entry) and an
 * optional sequence_lens, supported here when every length is the full length.
 */
final class ScanOp {
    private ScanOp() {}

    private record Attrs(int scanInputs, long[] inAxes, long[] inDirs, long[] outAxes, long[] outDirs) {}

    static Op create(NodeSetup s) {
        Graph g = s.attributes().getGraph("body");
        if (g == null) throw s.error("attribute 'body' (a graph) is missing");
        GraphRunner body = s.compile(g);
        var a = s.attributes();
        int m = Math.toIntExact(a.getInt("num_scan_inputs", -1));
        if (m < 1) throw s.error("num_scan_inputs is required");
        boolean v8 = s.opset() < 9;
        Attrs at = new Attrs(m, a.getInts("scan_input_axes"), v8 ? a.getInts("directions") : a.getInts("scan_input_directions"),
                a.getInts("scan_output_axes"), a.getInts("scan_output_directions"));
        if (v8 && (at.inAxes != null || at.outAxes != null)) throw s.error("opset 8 Scan has no axes attributes");
        return (in, ctx) -> v8 ? runBatched(body, at, in, ctx) : run(body, at, Arrays.asList(in), ctx);
    }

    private static Tensor[] runBatched(GraphRunner body, Attrs at, Tensor[] in, ExecContext ctx) {
        List<Tensor> rest = Arrays.asList(in).subList(1, in.length);
        long batch = rest.get(0).dim(0);
        if (in[0] != null) {
            long full = rest.get(rest.size() - at.scanInputs).dim(1);
            for (long len : in[0].toLongs())
                if (len != full) throw new IllegalArgumentException("Scan (opset 8): sequence_lens shorter than the scan axis are not supported");
        }
        List<List<Tensor>> perBatch = new ArrayList<>();
        for (long b = 0; b < batch; b++) {
            List<Tensor> slice = new ArrayList<>();
            for (Tensor t : rest) slice.add(AxisSlices.slice(t, 0, b));
            perBatch.add(Arrays.asList(run(body, at, slice, ctx)));
        }
        int outs = body.graph().outputs().size();
        Tensor[] result = new Tensor[outs];
        for (int k = 0; k < outs; k++) {
            List<Tensor> parts = new ArrayList<>();
            for (List<Tensor> r : perBatch) parts.add(r.get(k));
            result[k] = AxisSlices.stack(parts, 0);
        }
        return result;
    }

    private static Tensor[] run(GraphRunner body, Attrs at, List<Tensor> in, ExecContext ctx) {
        int m = at.scanInputs, n = in.size() - m;
        List<String> bodyIn = body.graph().inputNames();
        if (n < 0 || bodyIn.size() != in.size()) throw new IllegalArgumentException("Scan body takes " + bodyIn.size() + " inputs, the node gives " + in.size());
        int[] axes = new int[m];
        long len = -1;
        for (int j = 0; j < m; j++) {
            Tensor t = in.get(n + j);
            axes[j] = axis(at.inAxes, j, t.rank());
            long l = t.dim(axes[j]);
            if (len >= 0 && l != len) throw new IllegalArgumentException("Scan inputs differ in length: " + len + " and " + l);
            len = l;
        }
        int k = body.graph().outputs().size() - n;
        Tensor[] states = in.subList(0, n).toArray(Tensor[]::new);
        List<List<Tensor>> scanned = new ArrayList<>();
        for (int i = 0; i < k; i++) scanned.add(new ArrayList<>());
        for (long t = 0; t < len; t++) {
            Map<String, Tensor> feeds = new HashMap<>();
            for (int i = 0; i < n; i++) feeds.put(bodyIn.get(i), states[i]);
            for (int j = 0; j < m; j++) {
                long idx = dir(at.inDirs, j) ? len - 1 - t : t;
                feeds.put(bodyIn.get(n + j), AxisSlices.slice(in.get(n + j), axes[j], idx));
            }
            List<Tensor> out = ControlFlowOps.call(body, feeds, ctx);
            for (int i = 0; i < n; i++) states[i] = out.get(i);
            for (int i = 0; i < k; i++) scanned.get(i).add(out.get(n + i));
        }
        Tensor[] result = Arrays.copyOf(states, n + k);
        for (int i = 0; i < k; i++) {
            List<Tensor> parts = scanned.get(i);
            if (parts.isEmpty()) throw new IllegalArgumentException("Scan over an empty axis has no output shape");
            if (dir(at.outDirs, i)) Collections.reverse(parts);
            result[n + i] = AxisSlices.stack(parts, axis(at.outAxes, i, parts.get(0).rank() + 1));
        }
        return result;
    }

    private static int axis(long[] axes, int i, int rank) {
        long a = axes == null ? 0 : axes[i];
        if (a < 0) a += rank;
        if (a < 0 || a >= rank) throw new IllegalArgumentException("Scan axis " + a + " outside rank " + rank);
        return (int) a;
    }

    private static boolean dir(long[] dirs, int i) { return dirs != null && dirs[i] != 0; }
}
