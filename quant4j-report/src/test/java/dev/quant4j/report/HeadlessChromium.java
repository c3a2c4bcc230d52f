package dev.quant4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quant4j.testkit.TestData;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol (a WebSocket from the JDK's HTTP client): opens
 * a page and collects what a user would not see — uncaught exceptions, console errors, every network request.
 * Missing Chromium fails the test under CI=true and skips it elsewhere.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = java.util.Collections.synchronizedList(new ArrayList<>());
    private final StringBuilder partial = new StringBuilder();

    /** What happened while a page loaded. */
    record PageLoad(List<String> requests, List<String> errors) {}

    /** QUANT4J_CHROMIUM, when set, is the only place looked at (it also lets one check the missing-browser path). */
    static Path binary() {
        String override = System.getenv("QUANT4J_CHROMIUM");
        List<String> candidates = override != null ? List.of(override)
                : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) return p;
        }
        String why = "no Chromium at " + candidates + " (apt-get install chromium)";
        if (TestData.isCi()) throw new AssertionError(why + " — CI must run the browser test");
        Assumptions.abort(why);
        return null;
    }

    static HeadlessChromium start() throws Exception {
        Path bin = binary();
        Path profile = Files.createTempDirectory("quant4j-chromium");
        Process p = new ProcessBuilder(bin.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--window-size=1280,900",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            return new HeadlessChromium(p, profile);
        } catch (Exception | AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private HeadlessChromium(Process process, Path profile) throws Exception {
        this.process = process;
        this.profile = profile;
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (!process.isAlive()) throw new AssertionError("chromium exited: " + log());
            if (System.nanoTime() > deadline) throw new AssertionError("chromium did not open its DevTools port: " + log());
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
        String ws = null;
        for (JsonNode t : JSON.readTree(list)) if (t.path("type").asText().equals("page")) ws = t.path("webSocketDebuggerUrl").asText();
        if (ws == null) throw new AssertionError("chromium has no page target: " + list);
        socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(ws), new Listener())
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        for (String domain : List.of("Runtime", "Log", "Network", "Page")) call(domain + ".enable", null);
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode msg = JSON.readTree(text);
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) f.complete(msg);
                    } else {
                        events.add(msg);
                    }
                } catch (IOException e) {
                    events.add(JSON.createObjectNode().put("method", "quant4j.badMessage").put("text", text));
                }
            }
            ws.request(1);
            return null;
        }
    }

    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) msg.set("params", params);
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(JSON.writeValueAsString(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) throw new AssertionError(method + " failed: " + reply.get("error"));
        return reply.path("result");
    }

    /** Opens the file, waits for its load event, and returns the requests and errors seen meanwhile. */
    PageLoad open(Path file) throws Exception {
        events.clear();
        call("Page.navigate", JSON.createObjectNode().put("url", file.toUri().toString()));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!seen("Page.loadEventFired")) {
            if (System.nanoTime() > deadline) throw new AssertionError("page did not load: " + file);
            Thread.sleep(20);
        }
        // Errors re-thrown from a timer (a chart that failed) arrive after load: let pending tasks run.
        evaluate("new Promise(r => setTimeout(r, 200))");
        List<String> requests = new ArrayList<>(), errors = new ArrayList<>();
        synchronized (events) {
            for (JsonNode e : events) {
                JsonNode p = e.path("params");
                switch (e.path("method").asText()) {
                    case "Network.requestWillBeSent" -> requests.add(p.path("request").path("url").asText());
                    case "Runtime.exceptionThrown" -> {
                        JsonNode d = p.path("exceptionDetails");
                        String what = d.path("exception").path("description").asText(d.path("text").asText());
                        errors.add("exception at line " + (d.path("lineNumber").asInt() + 1) + ": " + what);
                    }
                    case "Runtime.consoleAPICalled" -> {
                        String type = p.path("type").asText();
                        if (type.equals("error") || type.equals("assert") || type.equals("warning"))
                            errors.add("console." + type + ": " + p.path("args"));
                    }
                    case "Log.entryAdded" -> {
                        String level = p.path("entry").path("level").asText();
                        if (level.equals("error") || level.equals("warning")) errors.add("log: " + p.path("entry"));
                    }
                    case "quant4j.badMessage" -> errors.add("unreadable DevTools message: " + p);
                    default -> { }
                }
            }
        }
        return new PageLoad(requests, errors);
    }

    private boolean seen(String method) {
        synchronized (events) {
            return events.stream().anyMatch(e -> e.path("method").asText().equals(method));
        }
    }

    /** Evaluates an expression in the page (awaiting promises) and returns its value as JSON. */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (r.has("exceptionDetails")) throw new AssertionError("evaluation failed: " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** A PNG of the whole page (beyond the window's height). */
    byte[] screenshot() throws Exception {
        JsonNode size = call("Page.getLayoutMetrics", null).path("cssContentSize");
        ObjectNode clip = JSON.createObjectNode().put("x", 0).put("y", 0).put("scale", 1)
                .put("width", size.path("width").asDouble()).put("height", size.path("height").asDouble());
        ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        params.set("clip", clip);
        return Base64.getDecoder().decode(call("Page.captureScreenshot", params).path("data").asText());
    }

    private String log() {
        try {
            return Files.readString(profile.resolve("chromium.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.abort();
        } finally {
            // The renderer and other helpers are children of the browser process: end them too.
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            // Chromium's helpers may still write into the profile for a moment; retry the deletion.
            for (int attempt = 0; attempt < 5; attempt++) {
                try (var walk = Files.walk(profile)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
                if (!Files.exists(profile)) break;
                Thread.sleep(100);
            }
        }
    }
}
