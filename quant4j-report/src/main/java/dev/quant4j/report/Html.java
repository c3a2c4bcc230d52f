package dev.quant4j.report;

import java.util.Locale;

/** Escaping and number formats for the page. Every text that reaches the HTML goes through {@link #text}. */
final class Html {
    private Html() {}

    /** Escapes for element content and double-quoted attribute values. */
    static String text(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    // Control characters other than tab/newline are not allowed in HTML text; show them visibly.
                    if (c < 0x20 && c != '\t' && c != '\n') sb.append("&#xFFFD;");
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    /**
     * JSON placed inside a {@code <script>} element: '<', '>' and '&' only occur inside JSON strings, where their
     * \\u escapes mean the same, so no "&lt;/script&gt;" or "&lt;!--" in a node name can end the element early.
     * U+2028/2029 are escaped for older script parsers.
     */
    static String scriptJson(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    static String num(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Four significant digits, for values of any magnitude (ranges of weights and activations). */
    static String sig(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static String signed(double v, int decimals) {
        return String.format(Locale.ROOT, "%+." + decimals + "f", v);
    }

    static String opt(Double v, int decimals) {
        return v == null ? "–" : num(v, decimals);
    }

    static String optSigned(Double v, int decimals) {
        return v == null ? "–" : signed(v, decimals);
    }

    static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** Size in MiB with the exact byte count alongside (figures must be checkable). */
    static String size(long bytes) {
        return num(mib(bytes), 2) + " MiB (" + String.format(Locale.ROOT, "%,d", bytes) + " B)";
    }

    static String estimate(Estimate e, int decimals) {
        if (!e.hasInterval()) return num(e.value(), decimals);
        return num(e.value(), decimals) + " [" + num(e.low(), decimals) + ", " + num(e.high(), decimals) + "]";
    }

    static String signedEstimate(Estimate e, int decimals) {
        if (!e.hasInterval()) return signed(e.value(), decimals);
        return signed(e.value(), decimals) + " [" + signed(e.low(), decimals) + ", " + signed(e.high(), decimals) + "]";
    }
}
