package dev.quant4j.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * uPlot's script and stylesheet, read from the org.webjars.npm:uplot jar on the class path, and this module's
 * own chart script and stylesheet. They are inlined into every page, so the page needs no network.
 */
final class ChartLibrary {
    private static final String WEBJAR = "META-INF/resources/webjars/uplot/";
    private static final String POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    final String version;
    final String uplotJs;
    final String uplotCss;
    final String chartsJs;
    final String pageCss;

    private ChartLibrary() {
        version = webjarVersion();
        uplotJs = resource(WEBJAR + version + "/dist/uPlot.iife.min.js");
        uplotCss = resource(WEBJAR + version + "/dist/uPlot.min.css");
        chartsJs = resource("dev/quant4j/report/charts.js");
        pageCss = resource("dev/quant4j/report/report.css");
        // Inlined text must not end its own element early.
        for (String s : new String[] {uplotJs, chartsJs})
            if (s.toLowerCase(java.util.Locale.ROOT).contains("</script"))
                throw new IllegalStateException("script holds </script and cannot be inlined");
        for (String s : new String[] {uplotCss, pageCss})
            if (s.toLowerCase(java.util.Locale.ROOT).contains("</style"))
                throw new IllegalStateException("stylesheet holds </style and cannot be inlined");
    }

    private static final class Holder {
        static final ChartLibrary INSTANCE = new ChartLibrary();
    }

    static ChartLibrary get() {
        return Holder.INSTANCE;
    }

    private static String webjarVersion() {
        try (InputStream in = ChartLibrary.class.getClassLoader().getResourceAsStream(POM)) {
            if (in == null) throw new IllegalStateException("org.webjars.npm:uplot is not on the class path (" + POM + ")");
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ChartLibrary.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
