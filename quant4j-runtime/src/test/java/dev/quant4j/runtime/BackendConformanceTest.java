package dev.quant4j.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The ONNX project's own backend tests (node, pytorch-converted, pytorch-operator, simple) for
 * every test whose operators the runtime claims. Every such test must pass; tests that use an
 * operator the runtime does not claim are counted and listed, not run. The per-operator table is
 * written to target/conformance-report.txt.
 *
 * <p>Tolerances are the ONNX backend test runner's: |actual − expected| ≤ 1e-7 + 1e-3·|expected|.
 */
class BackendConformanceTest {
    static final double RTOL = 1e-3, ATOL = 1e-7;

    @Test
    void everyClaimedOperatorPassesItsBackendTests() throws IOException {
        Path root = TestData.require("onnx-backend-tests");
        OpRegistry registry = OpRegistry.standard();
        Map<String, int[]> perOp = new TreeMap<>(); // op -> {passed, failed}
        List<String> failures = new ArrayList<>();
        TreeSet<String> unclaimed = new TreeSet<>();
        List<String> nonTensor = new ArrayList<>();
        int passed = 0, skipped = 0;
        List<Path> dirs;
        try (Stream<Path> s = Stream.of("node", "pytorch-converted", "pytorch-operator", "simple")
                .map(root::resolve).filter(Files::isDirectory).flatMap(BackendConformanceTest::list)) {
            dirs = s.sorted().toList();
        }
        for (Path dir : dirs) {
            Path modelFile = dir.resolve("model.onnx");
            if (!Files.exists(modelFile)) continue;
            String name = root.relativize(dir).toString();
            try (Model model = OnnxReader.read(modelFile)) {
                TreeSet<String> ops = new TreeSet<>();
                collectOps(model.graph(), ops);
                List<String> missing = ops.stream().filter(op -> !registry.claimed().contains(op)).toList();
                if (!missing.isEmpty()) {
                    skipped++;
                    unclaimed.addAll(missing);
                    continue;
                }
                if (!tensorsOnly(model.graph())) {
                    nonTensor.add(name); // sequences, optionals and maps: the runtime executes tensors only
                    continue;
                }
                String problem = runAll(model, dir);
                for (String op : ops) perOp.computeIfAbsent(op, k -> new int[2])[problem == null ? 0 : 1]++;
                if (problem == null) passed++;
                else failures.add(name + ": " + problem);
            } catch (Exception | AssertionError e) {
                failures.add(name + ": " + e);
            }
        }
        StringBuilder report = new StringBuilder();
        report.append(String.format("backend tests run: %d passed, %d failed; %d not run (unclaimed operators)%n", passed, failures.size(), skipped));
        perOp.forEach((op, pf) -> report.append(String.format("  %-32s %4d passed %4d failed%n", op, pf[0], pf[1])));
        report.append("failures:\n");
        failures.forEach(f -> report.append("  ").append(f).append('\n'));
        report.append("not run, inputs or outputs are not tensors: ").append(nonTensor).append('\n');
        report.append("unclaimed operators seen: ").append(unclaimed).append('\n');
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/conformance-report.txt"), report);
        System.out.println(report);
        assertTrue(passed > 0, "no backend test ran");
        if (!failures.isEmpty()) fail(failures.size() + " backend tests of claimed operators failed:\n" + String.join("\n", failures));
    }

    private static boolean tensorsOnly(Graph g) {
        return Stream.concat(g.inputs().stream(), g.outputs().stream())
                .allMatch(v -> v.type() == null || v.type() instanceof dev.quant4j.graph.ValueType.TensorType);
    }

    private static Stream<Path> list(Path p) {
        try {
            return Files.list(p).filter(Files::isDirectory).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void collectOps(Graph g, TreeSet<String> ops) {
        for (Node n : g.nodes()) {
            ops.add(n.isOnnxDomain() ? n.opType() : n.domain() + "." + n.opType());
            for (Graph sub : n.subgraphs()) collectOps(sub, ops);
        }
    }

    /** Runs every test_data_set of the model; null when all match, else what differed. */
    private static String runAll(Model model, Path dir) throws IOException {
        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set")).sorted().toList();
        }
        Session session = Session.create(model);
        for (Path set : sets) {
            Map<String, Tensor> feeds = new LinkedHashMap<>();
            List<ValueInfo> inputs = model.graph().feedInputs();
            for (int i = 0; i < inputs.size(); i++) {
                Path f = set.resolve("input_" + i + ".pb");
                if (Files.exists(f)) feeds.put(inputs.get(i).name(), declared(OnnxReader.readTensor(f), inputs.get(i)));
            }
            Map<String, Tensor> out = session.run(feeds);
            List<String> names = model.graph().outputNames();
            for (int i = 0; i < names.size(); i++) {
                Path f = set.resolve("output_" + i + ".pb");
                if (!Files.exists(f)) continue;
                String diff = compare(declared(OnnxReader.readTensor(f), model.graph().outputs().get(i)), out.get(names.get(i)));
                if (diff != null) return set.getFileName() + " output " + names.get(i) + ": " + diff;
            }
        }
        return null;
    }

    /**
     * The test data of ONNX 1.12 stores BFLOAT16 values as UINT16 tensors of the same bits (numpy has
     * no bfloat16); such a tensor is read as the BFLOAT16 the model declares.
     */
    private static Tensor declared(Tensor t, ValueInfo info) {
        if (t.dtype() == DataType.UINT16 && info.dtype() == DataType.BFLOAT16) return Tensor.wrap(DataType.BFLOAT16, t.data(), t.shape());
        return t;
    }

    static String compare(Tensor expected, Tensor actual) {
        if (actual == null) return "missing";
        if (expected.dtype() != actual.dtype()) return "type " + actual.dtype() + ", expected " + expected.dtype();
        if (!Arrays.equals(expected.shape(), actual.shape()))
            return "shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape());
        DataType t = expected.dtype();
        if (t == DataType.STRING) return expected.strings().equals(actual.strings()) ? null : "strings differ";
        long n = expected.elementCount();
        for (long i = 0; i < n; i++) {
            if (t.isFloatingPoint()) {
                double e = expected.getDouble(i), a = actual.getDouble(i);
                if (Double.isNaN(e) && Double.isNaN(a)) continue;
                if (e == a) continue;
                if (!(Math.abs(a - e) <= ATOL + RTOL * Math.abs(e))) return "element " + i + " is " + a + ", expected " + e;
            } else if (expected.getLong(i) != actual.getLong(i)) {
                return "element " + i + " is " + actual.getLong(i) + ", expected " + expected.getLong(i);
            }
        }
        return null;
    }
}
