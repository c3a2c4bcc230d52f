package dev.quant4j.data.audio;

import dev.quant4j.data.DataFileException;
import dev.quant4j.data.Dataset;
import dev.quant4j.data.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read speech with transcriptions in the pocketsphinx test layout: {@code fileids} (one recording
 * name a line), {@code <name>.wav}, and {@code transcription} lines {@code <s> words </s> (name)}.
 * Each sample is the recording as mono floats at 16 kHz (resampled if the file has another rate),
 * shape {@code [samples]}, with its transcription as text. Recordings are read when asked.
 */
public final class LibriVox implements Dataset<Sample> {
    public static final int RATE = 16_000;
    private static final Pattern LINE = Pattern.compile("^(?:<s>\\s*)?(.*?)\\s*(?:</s>)?\\s*\\(([^()\\s]+)\\)\\s*$");

    private final Path dir;
    private final List<String> ids;
    private final Map<String, String> texts;

    private LibriVox(Path dir, List<String> ids, Map<String, String> texts) {
        this.dir = dir;
        this.ids = ids;
        this.texts = texts;
    }

    public static LibriVox open(Path dir) {
        Path fileids = dir.resolve("fileids"), tr = dir.resolve("transcription");
        List<String> ids = new ArrayList<>();
        Map<String, String> texts = new HashMap<>();
        try {
            for (String l : Files.readAllLines(fileids, StandardCharsets.UTF_8)) if (!l.isBlank()) ids.add(l.strip());
            int n = 0;
            for (String l : Files.readAllLines(tr, StandardCharsets.UTF_8)) {
                n++;
                if (l.isBlank()) continue;
                Matcher m = LINE.matcher(l);
                if (!m.matches()) throw new DataFileException(tr, "line " + n + " is not '<s> words </s> (id)': " + l);
                texts.put(m.group(2), m.group(1));
            }
        } catch (IOException e) {
            throw new DataFileException(dir, "cannot read fileids or transcription", e);
        }
        for (String id : ids) if (!texts.containsKey(id)) throw new DataFileException(tr, "no transcription for " + id);
        return new LibriVox(dir, List.copyOf(ids), Map.copyOf(texts));
    }

    public String id(int index) { return ids.get(index); }

    @Override public int size() { return ids.size(); }

    @Override
    public Sample get(int index) {
        String id = ids.get(index);
        Audio a = WavReader.read(dir.resolve(id + ".wav"));
        float[] x = a.sampleRate() == RATE ? a.mono() : Resampler.resample(a.mono(), a.sampleRate(), RATE);
        return new Sample(x, new long[] {x.length}, Sample.NO_LABEL, texts.get(id));
    }

    @Override public String name() { return dir.toString(); }
}
