package dev.quant4j.tune.auto;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** quant4j's version, from the Maven metadata inside its jars (absent when run from class folders). */
final class ToolVersion {
    private ToolVersion() {}

    static String current() {
        for (String module : new String[] {"quant4j-tune", "quant4j-quantize", "quant4j-core"}) {
            try (InputStream in = ToolVersion.class.getClassLoader().getResourceAsStream("META-INF/maven/dev.quant4j/" + module + "/pom.properties")) {
                if (in == null) continue;
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null) return v + (module.equals("quant4j-tune") ? "" : " (version of " + module + ")");
            } catch (IOException e) {
                // try the next module's metadata
            }
        }
        return "unknown (not run from quant4j's jars)";
    }
}
