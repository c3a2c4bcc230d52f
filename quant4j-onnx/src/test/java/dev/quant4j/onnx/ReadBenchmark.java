package dev.quant4j.onnx;

import dev.quant4j.graph.Model;
import dev.quant4j.onnx.proto.OnnxProto.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A benchmark command (not a test): reading MiniLM (90 MB) with {@link OnnxReader} (mapped,
 * weights aliased in place, then decoded and validated) side by side with protobuf's plain heap
 * parse of the same bytes (read the file into a byte[], parse, no decoding), in one JVM,
 * alternating, reporting medians, spread and heap retained by the result.
 *
 * <pre>
 * mvn -q -o -pl quant4j-onnx test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java --enable-native-access=ALL-UNNAMED -cp quant4j-onnx/target/test-classes:quant4j-onnx/target/classes:$(cat /tmp/cp.txt) dev.quant4j.onnx.ReadBenchmark 15
 * </pre>
 */
public final class ReadBenchmark {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path dir = Files.createTempDirectory("q4j-bench");
        Path model = RealModels.miniLm(dir);
        long[] ours = new long[runs], heap = new long[runs];
        long oursRetained = 0, heapRetained = 0;
        for (int i = 0; i < runs + 3; i++) {       // the first 3 rounds warm up
            long t0 = System.nanoTime();
            long before = used();
            try (Model m = OnnxReader.read(model)) {
                long t1 = System.nanoTime();
                if (i >= 3) { ours[i - 3] = t1 - t0; oursRetained = used() - before; }
                if (m.graph().nodes().isEmpty()) throw new AssertionError();
            }
            long t2 = System.nanoTime();
            before = used();
            ModelProto p = ModelProto.parseFrom(Files.readAllBytes(model));
            long t3 = System.nanoTime();
            if (i >= 3) { heap[i - 3] = t3 - t2; heapRetained = used() - before; }
            if (p.getGraph().getNodeCount() == 0) throw new AssertionError();
        }
        System.out.printf("MiniLM %d bytes, %d runs each, alternating%n", Files.size(model), runs);
        System.out.printf("OnnxReader.read (mapped, aliased, decoded, validated): median %.1f ms [min %.1f, max %.1f], heap retained ~%d MB%n",
                med(ours), min(ours), max(ours), oursRetained >> 20);
        System.out.printf("readAllBytes + ModelProto.parseFrom (heap, no decode):  median %.1f ms [min %.1f, max %.1f], heap retained ~%d MB%n",
                med(heap), min(heap), max(heap), heapRetained >> 20);
        System.out.printf("ratio heap-parse / OnnxReader (median): %.2f%n", med(heap) / med(ours));
    }

    private static long used() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return r.totalMemory() - r.freeMemory();
    }

    private static double med(long[] v) { long[] s = v.clone(); Arrays.sort(s); return s[s.length / 2] / 1e6; }

    private static double min(long[] v) { return Arrays.stream(v).min().orElse(0) / 1e6; }

    private static double max(long[] v) { return Arrays.stream(v).max().orElse(0) / 1e6; }
}
