package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** --help and --version everywhere, exit code 2 for usage errors, 3 for bad files, one-line errors. */
class ConventionsTest {
    static final List<String> COMMANDS = List.of("", "inspect", "run", "quantize", "calibrate", "eval", "bench", "compare", "report", "demo", "llm", "llm demo", "llm quantize", "llm perplexity", "llm generate",
            "llm tokenize", "llm bench");

    @Test
    void helpAndVersionOnEveryCommand() throws IOException {
        String pomVersion = pomVersion();
        for (String c : COMMANDS) {
            String[] words = c.isEmpty() ? new String[0] : c.split(" ");
            Cli.Result h = Cli.run(concat(words, "--help"));
            assertEquals(0, h.code(), c + " --help");
            assertTrue(h.out().contains("Usage: quant4j" + (c.isEmpty() ? "" : " " + c)), h.out());
            assertTrue(h.out().contains("3   bad input file"), c + ": exit codes listed");
            Cli.Result v = Cli.run(concat(words, "--version"));
            assertEquals(0, v.code(), c + " --version");
            assertTrue(v.out().startsWith("quant4j " + pomVersion + "\n"), c + ": " + v.out());
        }
    }

    /** The version printed must be the one in the module's pom, not a copy kept in the code. */
    private static String pomVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        int parent = pom.indexOf("<parent>");
        String p = pom.substring(parent, pom.indexOf("</parent>"));
        return p.substring(p.indexOf("<version>") + 9, p.indexOf("</version>"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--frobnicate", "inspect", "inspect a.onnx b.onnx", "llm", "llm nosuch", "run m.onnx --runs",
            "llm quantize in.bin out.gguf --type Q9_X", "llm quantize in.bin out.gguf --tensor-type (=Q8_0",
            "llm quantize in.bin out.gguf --tensor-type noequals", "llm quantize in.bin out.gguf --method FOO", "llm generate m.bin",
            "llm generate m.bin -p 1,x", "llm bench --types Q4_Z", "quantize m.onnx --mode static", "quantize m.onnx -o o.onnx --activations u3",
            "calibrate m.onnx -o r.json", "eval m.onnx", "eval m.onnx --data d.npy --task accuracy", "bench", "bench a.onnx b.onnx c.onnx",
            "bench m.onnx --engine tensorrt", "compare a.onnx --data d.npy", "report a.onnx b.onnx --data d.npy", "demo --objective cheapest"})
    void usageErrorsExitWith2(String line) {
        Cli.Result r = Cli.run(line.split(" "));
        assertEquals(2, r.code(), line + "\n" + r.err());
        assertTrue(r.err().contains("Usage:") || r.err().contains("Did you mean"), "usage or a suggestion shown: " + r.err());
    }

    @Test
    void missingFilesExitWith3NamingTheFile(@TempDir Path dir) {
        String missing = dir.resolve("absent.onnx").toString();
        for (String[] line : List.of(new String[] {"inspect", missing}, new String[] {"run", missing}, new String[] {"llm", "generate", missing, "-p", "1"},
                new String[] {"llm", "perplexity", missing, missing}, new String[] {"llm", "quantize", missing, dir.resolve("o.gguf").toString()},
                new String[] {"llm", "tokenize", missing, "hello"}, new String[] {"llm", "demo", "--model", missing},
                new String[] {"quantize", missing, "-o", dir.resolve("o.onnx").toString(), "--mode", "dynamic"},
                new String[] {"calibrate", missing, "--data", "builtin:fashion", "-o", dir.resolve("r.json").toString()},
                new String[] {"eval", missing, "--data", "builtin:fashion"}, new String[] {"bench", missing},
                new String[] {"compare", missing, missing, "--data", "builtin:fashion"},
                new String[] {"report", "--from", missing, "-o", dir.resolve("r.html").toString()})) {
            Cli.Result r = Cli.run(line);
            assertEquals(3, r.code(), String.join(" ", line) + "\n" + r.err());
            assertEquals("quant4j: " + missing + ": no such file\n", r.err(), String.join(" ", line));
        }
    }

    @Test
    void garbageFilesExitWith3WithOneLineAndNoStackTrace(@TempDir Path dir) throws IOException {
        Path onnx = Files.write(dir.resolve("bad.onnx"), new byte[] {8, 7, 'g', 'a', 'r', 'b', 'a', 'g', 'e'});
        Path bin = Files.write(dir.resolve("bad.bin"), "not a llama2.c checkpoint at all, just some text".getBytes());
        Path gguf = Files.write(dir.resolve("bad.gguf"), "GGUF but not really".getBytes());
        for (String[] line : List.of(new String[] {"inspect", onnx.toString()}, new String[] {"llm", "generate", bin.toString(), "-p", "1"},
                new String[] {"llm", "perplexity", bin.toString(), bin.toString()}, new String[] {"llm", "tokenize", gguf.toString(), "hi"},
                new String[] {"llm", "quantize", gguf.toString(), dir.resolve("o.gguf").toString()})) {
            Cli.Result r = Cli.run(line);
            String file = line[line[0].equals("inspect") ? 1 : 2];
            assertEquals(3, r.code(), String.join(" ", line) + "\n" + r.err());
            assertTrue(r.err().startsWith("quant4j: " + file + ": "), r.err());
            assertEquals(1, r.err().lines().count(), "one line: " + r.err());
            assertFalse(Files.exists(dir.resolve("o.gguf")), "no output written");
        }
        Cli.Result verbose = Cli.run("inspect", "--verbose", onnx.toString());
        assertEquals(3, verbose.code());
        assertTrue(verbose.err().contains("\tat "), "--verbose prints the stack trace");
    }

    private static String[] concat(String[] a, String b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + 1);
        r[a.length] = b;
        return r;
    }
}
