package dev.quant4j.report;

import dev.quant4j.core.io.AtomicFiles;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The report as JSON: {@code {"format": "quant4j-report/1", ...the Report's fields}}. The same content the
 * HTML page shows (the page embeds this JSON and draws its charts from it).
 */
public final class ReportJson {
    /** Written into every file; a reader refuses other formats instead of guessing. */
    public static final String FORMAT = "quant4j-report/1";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private ReportJson() {}

    public static String toJson(Report report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.setAll((ObjectNode) MAPPER.valueToTree(report));
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize report", e); // records of plain values always serialize
        }
    }

    /** Writes atomically (temporary file moved into place). */
    public static void write(Report report, Path file) throws IOException {
        byte[] content = toJson(report).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, o -> o.write(content));
    }

    /**
     * @param source names the input in error messages (a file name)
     * @throws IOException naming the source and the problem when the text is not a quant4j report
     */
    public static Report fromJson(String json, String source) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IOException(source + ": not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new IOException(source + ": not a quant4j report (no JSON object)");
        JsonNode format = root.get("format");
        if (format == null || !FORMAT.equals(format.asText()))
            throw new IOException(source + ": not a " + FORMAT + " file (format: "
                    + (format == null ? "missing" : format.toString()) + ")");
        ((ObjectNode) root).remove("format");
        try {
            return MAPPER.treeToValue(root, Report.class);
        } catch (JacksonException e) {
            throw new IOException(source + ": bad report at " + path(e) + ": " + firstLine(e));
        } catch (IllegalArgumentException | NullPointerException e) { // thrown by the records' checks
            throw new IOException(source + ": bad report: " + e.getMessage());
        }
    }

    /** Reports are kilobytes to a few megabytes; anything far larger is not one and is not read into memory. */
    static final long MAX_BYTES = 256L << 20;

    public static Report read(Path file) throws IOException {
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES)
                throw new IOException(file + ": " + size + " bytes is too large for a report (limit " + MAX_BYTES + ")");
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(file + ": not UTF-8 text");
        }
        return fromJson(text, file.toString());
    }

    private static String path(JacksonException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (var ref : m.getPath()) {
                if (ref.getFieldName() != null) sb.append('/').append(ref.getFieldName());
                else sb.append('/').append(ref.getIndex());
            }
            return sb.toString();
        }
        return "/";
    }

    private static String firstLine(JacksonException e) {
        Throwable cause = e.getCause();
        // A record constructor's own check is the clearest message when it is what failed.
        if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) return cause.getMessage();
        String m = e.getOriginalMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
