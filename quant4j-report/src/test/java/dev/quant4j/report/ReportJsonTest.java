package dev.quant4j.report;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportJsonTest {
    @TempDir
    Path dir;

    @Test
    void fileRoundTripKeepsEverySection() throws IOException {
        Report report = SampleReport.build();
        Path file = dir.resolve("report.json");
        ReportJson.write(report, file);
        assertEquals(report, ReportJson.read(file));
        assertTrue(Files.readString(file).contains("\"format\" : \"quant4j-report/1\""));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "temporary file left behind");
        }
        // created as any new file (rw-r--r-- under the usual umask 022), not createTempFile's rw-------
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")))),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void emptyReportRoundTrips() throws IOException {
        Report empty = Report.builder("empty").createdAt("").build();
        assertEquals(empty, ReportJson.fromJson(ReportJson.toJson(empty), "empty.json"));
    }

    @Test
    void exactSqnrIsInfiniteAndRoundTrips() throws IOException {
        Report r = Report.builder("exact")
                .layer(new LayerSensitivity("fp16 layer", "MatMul", "fp16", Double.POSITIVE_INFINITY, 61.5, null, null,
                        null, null, 8, 4, null))
                .build();
        assertEquals(r, ReportJson.fromJson(ReportJson.toJson(r), "exact.json"));
        assertTrue(HtmlReport.render(r).contains("<td>exact (∞)</td>"));
        assertThrows(IllegalArgumentException.class, () -> new LayerSensitivity("n", "", "", Double.NaN, null, null,
                null, null, null, 0, 0, null));
    }

    @Property(tries = 200)
    void anyNameRoundTrips(@ForAll String name) throws IOException {
        Report r = Report.builder(name)
                .layer(new LayerSensitivity(name, name, "int8", null, 12.5, -0.25, null, new ValueRange(-1, 2, null, 1.5, null, 1.33), null, 4, 1, null))
                .deployability(new DeployabilityRow(name, "Conv", "int8", name, true, null, name))
                .build();
        assertEquals(r, ReportJson.fromJson(ReportJson.toJson(r), "property"));
    }

    private static String sampleJson() {
        return ReportJson.toJson(SampleReport.build());
    }

    private static void assertRejected(String json, String... phrases) {
        IOException e = assertThrows(IOException.class, () -> ReportJson.fromJson(json, "in.json"));
        assertTrue(e.getMessage().startsWith("in.json: "), e.getMessage());
        for (String p : phrases) assertTrue(e.getMessage().contains(p), "\"" + p + "\" not in: " + e.getMessage());
    }

    @Test
    void badInputNamesTheFileAndTheProblem() {
        assertRejected("{\"format\": \"quant4j-report/1\", \"title\": ", "not JSON");
        assertRejected("[1, 2]", "no JSON object");
        assertRejected("{\"title\": \"x\"}", "format: missing");
        assertRejected("{\"format\": \"quant4j-report/9\", \"title\": \"x\"}", "not a quant4j-report/1 file", "quant4j-report/9");
        assertRejected(sampleJson().replace("\"sizeBytes\" : 345678", "\"sizeBytes\" : -5"), "sizeBytes is negative");
        assertRejected(sampleJson().replace("\"p90Ms\" : 13.5", "\"p90Ms\" : 99.0"), "percentiles out of order");
        assertRejected(sampleJson().replace("\"runs\" : 200", "\"runs\" : 200, \"runz\" : 1"), "runz");
        assertRejected(sampleJson().replace("\"runs\" : 200", "\"runs\" : null"), "/latency/0/runs");
        assertRejected(sampleJson().replace("\"objective\" : \"smallest\"", "\"objective\" : \"cheapest\""), "objective");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.json");
        IOException e = assertThrows(IOException.class, () -> ReportJson.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void oversizedOrBinaryFileIsRefusedByName() throws IOException {
        Path big = dir.resolve("big.json");
        try (var f = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            f.write(java.nio.ByteBuffer.wrap(new byte[] {'{'}), ReportJson.MAX_BYTES + 1); // sparse: no real disk use
        }
        IOException e = assertThrows(IOException.class, () -> ReportJson.read(big));
        assertTrue(e.getMessage().startsWith(big + ": ") && e.getMessage().contains("too large"), e.getMessage());

        Path binary = dir.resolve("model.onnx");
        Files.write(binary, new byte[] {(byte) 0x08, (byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3});
        e = assertThrows(IOException.class, () -> ReportJson.read(binary));
        assertTrue(e.getMessage().startsWith(binary + ": "), e.getMessage());
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path file = dir.resolve("report.json");
        Files.writeString(file, "old");
        Path blocked = dir.resolve("file-not-dir");
        Files.writeString(blocked, "x");
        assertThrows(IOException.class, () -> ReportJson.write(SampleReport.build(), blocked.resolve("r.json")));
        ReportJson.write(Report.builder("new").build(), file);
        assertEquals("new", ReportJson.read(file).title());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
    }
}
