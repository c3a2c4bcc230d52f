package dev.quant4j.nativekernels;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * libquant4j.so, found on the class path under {@code native/<os>-<arch>/}, and its downcall handles.
 *
 * <p>Loaded once per JVM. When the library is missing (no C compiler at build time, another
 * platform) or fails to load, {@link #get()} is null and {@link #failure()} says why; nothing throws.
 * Every handle is a critical downcall that may take heap segments: the kernels neither call back
 * into Java nor block, and passing the caller's arrays directly avoids copying activations.
 */
final class NativeLibrary {
    static final int ABI_VERSION = 1;

    final MethodHandle isaBest, isaSupported, i8Nr, i8PackedSize, i8Pack, i8Gemm, gemvQ, gemmQ, peak, ggmlDots;
    final Path path;
    /** Per {@link Isa} ordinal, whether this CPU runs it: a CPU's features do not change while it runs. */
    private final boolean[] supported;

    private NativeLibrary(SymbolLookup lib, Path path) {
        this.path = path;
        Linker linker = Linker.nativeLinker();
        Linker.Option critical = Linker.Option.critical(true);
        MethodHandle abi = linker.downcallHandle(find(lib, "q4j_abi_version"), FunctionDescriptor.of(JAVA_INT));
        int version;
        try { version = (int) abi.invokeExact(); } catch (Throwable t) { throw new IllegalStateException(t); }
        if (version != ABI_VERSION)
            throw new IllegalStateException(path + " has ABI version " + version + ", expected " + ABI_VERSION);
        isaBest = linker.downcallHandle(find(lib, "q4j_isa_best"), FunctionDescriptor.of(JAVA_INT));
        isaSupported = linker.downcallHandle(find(lib, "q4j_isa_supported"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        supported = new boolean[Isa.values().length];
        for (int i = 0; i < supported.length; i++) supported[i] = askSupported(i);
        i8Nr = linker.downcallHandle(find(lib, "q4j_i8_nr"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        i8PackedSize = linker.downcallHandle(find(lib, "q4j_i8_packed_size"),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT));
        // (isa, k, n, b, ldb, transposed, zp, nzp, out)
        i8Pack = linker.downcallHandle(find(lib, "q4j_i8_pack"), FunctionDescriptor.ofVoid(
                JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), critical);
        // (isa, m, k, n0, n1, a, lda, aUnsigned, za, packed, kind, out, ldc, scale, nscale, bias, ozp, qmin, qmax)
        i8Gemm = linker.downcallHandle(find(lib, "q4j_i8_gemm"), FunctionDescriptor.of(JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS,
                JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT), critical);
        // (isa, rows, cols, bits, block, data, scales, zps, x, y, r0, r1)
        gemvQ = linker.downcallHandle(find(lib, "q4j_gemvq"), FunctionDescriptor.of(JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                JAVA_INT, JAVA_INT), critical);
        // (isa, m, rows, cols, bits, block, data, scales, zps, x, ldx, y, ldy, r0, r1)
        gemmQ = linker.downcallHandle(find(lib, "q4j_gemmq"), FunctionDescriptor.of(JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG,
                ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT), critical);
        // (isa, type, w, rowBytes, rows, xq, xd, xsum, xdsum, n, y)
        ggmlDots = linker.downcallHandle(find(lib, "q4j_ggml_dots"), FunctionDescriptor.of(JAVA_INT,
                JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS), critical);
        peak = linker.downcallHandle(find(lib, "q4j_peak"), FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG));
    }

    private static java.lang.foreign.MemorySegment find(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException("symbol " + name + " missing"));
    }

    private static final class Holder {
        static String failure = "";
        static final NativeLibrary INSTANCE = load();

        private static NativeLibrary load() {
            try {
                String platform = platform();
                if (platform == null) {
                    failure = "no native build for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch");
                    return null;
                }
                String resource = "native/" + platform + "/libquant4j.so";
                URL url = NativeLibrary.class.getClassLoader().getResource(resource);
                if (url == null) {
                    failure = resource + " is not on the class path (no C compiler when quant4j-native was built?)";
                    return null;
                }
                Path path = "file".equals(url.getProtocol()) ? Path.of(url.toURI()) : extract(url);
                return new NativeLibrary(SymbolLookup.libraryLookup(path, Arena.global()), path);
            } catch (IOException | URISyntaxException | RuntimeException | LinkageError e) {
                failure = "loading libquant4j.so failed: " + e;
                return null;
            }
        }

        /** Inside a jar the library is copied to a temporary file that the JVM deletes on exit. */
        private static Path extract(URL url) throws IOException {
            Path tmp = Files.createTempFile("libquant4j-", ".so");
            tmp.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            return tmp;
        }
    }

    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) return "linux-x86_64";
        return null;
    }

    /** The loaded library, or null when it is not available here. */
    static NativeLibrary get() { return Holder.INSTANCE; }

    /** Why {@link #get()} is null; empty when the library loaded. */
    static String failure() {
        NativeLibrary unused = Holder.INSTANCE;
        return unused == null ? Holder.failure : "";
    }

    int isaBest() {
        try { return (int) isaBest.invokeExact(); } catch (Throwable t) { throw rethrow(t); }
    }

    /** Asked of the library once per level: every GGML dot call checks its level, ~700 calls per decoded token. */
    boolean isaSupported(int isa) {
        return isa >= 0 && isa < supported.length ? supported[isa] : askSupported(isa);
    }

    private boolean askSupported(int isa) {
        try { return (int) isaSupported.invokeExact(isa) != 0; } catch (Throwable t) { throw rethrow(t); }
    }

    int panelWidth(int isa) {
        try { return (int) i8Nr.invokeExact(isa); } catch (Throwable t) { throw rethrow(t); }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

}
