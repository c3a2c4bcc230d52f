package dev.quant4j.kernels;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Picks the kernel provider once per JVM and makes instances of it.
 *
 * <p>The choice: the provider named by the system property {@code quant4j.kernels}
 * (scalar|panama|native|...) if set, which must then be available; otherwise the available
 * provider with the highest {@link KernelsProvider#priority()}. The choice and the reasons for
 * skipping the others are logged once through {@link System.Logger} ("dev.quant4j.kernels").
 */
public final class KernelsFactory {
    private KernelsFactory() {}

    public static final String PROPERTY = "quant4j.kernels";

    private static final class Chosen {
        static final KernelsProvider PROVIDER = choose();
        static final Kernels DEFAULT = PROVIDER.create(Runtime.getRuntime().availableProcessors());
    }

    /** The provider chosen at start-up. */
    public static KernelsProvider provider() { return Chosen.PROVIDER; }

    /** A shared instance of the chosen provider using every core. */
    public static Kernels get() { return Chosen.DEFAULT; }

    /** A new instance of the chosen provider limited to {@code threads} threads. */
    public static Kernels create(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        return Chosen.PROVIDER.create(threads);
    }

    /** The reference provider's kernels (the oracle). */
    public static Kernels scalar() { return new ScalarKernels(); }

    /** Every provider on the class path, available or not, highest priority first. */
    public static List<KernelsProvider> providers() {
        List<KernelsProvider> all = new ArrayList<>();
        for (KernelsProvider p : ServiceLoader.load(KernelsProvider.class, KernelsFactory.class.getClassLoader())) all.add(p);
        if (all.stream().noneMatch(p -> p.name().equals("scalar"))) all.add(new ScalarProvider());
        all.sort(Comparator.comparingInt(KernelsProvider::priority).reversed());
        return all;
    }

    /** The provider called {@code name}; throws when there is none or it is not available here. */
    public static KernelsProvider provider(String name) {
        for (KernelsProvider p : providers())
            if (p.name().equalsIgnoreCase(name)) {
                if (!p.available())
                    throw new IllegalStateException("kernel provider '" + name + "' is not available: " + p.unavailableReason());
                return p;
            }
        throw new IllegalArgumentException("no kernel provider named '" + name + "'; known: "
                + providers().stream().map(KernelsProvider::name).toList());
    }

    private static KernelsProvider choose() {
        System.Logger log = System.getLogger("dev.quant4j.kernels");
        String wanted = System.getProperty(PROPERTY);
        List<KernelsProvider> all = providers();
        StringBuilder skipped = new StringBuilder();
        KernelsProvider chosen = null;
        if (wanted != null && !wanted.isBlank()) {
            chosen = provider(wanted.trim());
        } else {
            for (KernelsProvider p : all) {
                if (p.available()) { chosen = p; break; }
                skipped.append("; ").append(p.name()).append(" unavailable: ").append(p.unavailableReason());
            }
        }
        if (chosen == null) chosen = new ScalarProvider();
        String name = chosen.create(1).name();
        log.log(Level.INFO, "quant4j kernels: using " + name
                + (wanted != null && !wanted.isBlank() ? " (requested with -D" + PROPERTY + ")" : " (highest priority available)")
                + skipped);
        return chosen;
    }
}
