package dev.quant4j.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quant4j.core.DataType;
import dev.quant4j.core.calibration.ChannelRanges;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.core.quant.QuantParams;
import dev.quant4j.core.quant.QuantSpec;
import dev.quant4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The file {@code quant4j calibrate} writes and {@code quantize --ranges} reads: one activation range
 * per value, chosen by the observer for one activation type (entropy and MSE search depend on it),
 * and the quantization parameters that range gives.
 *
 * <pre>{"format": "quant4j-ranges/1", "model": ..., "method": "entropy", "activations": "UINT8", "symmetric": false,
 *  "samples": 256, "dataSha256": ..., "values": [{"name": "x", "min": 0.0, "max": 1.0, "scale": 0.0039, "zeroPoint": 0}, ...]}</pre>
 */
record RangesFile(String format, String model, String data, String method, DataType activations, boolean symmetric, int samples, String dataSha256,
                  List<Value> values) {
    static final String FORMAT = "quant4j-ranges/1";

    record Value(String name, float min, float max, float scale, int zeroPoint) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static QuantSpec spec(DataType activations, boolean symmetric) {
        return symmetric ? QuantSpec.symmetric(activations) : QuantSpec.affine(activations);
    }

    static List<Value> values(Map<String, Observer> observers, QuantSpec spec) {
        return new TreeMap<>(observers).entrySet().stream().map(e -> {
            ChannelRanges r = e.getValue().ranges(spec);
            QuantParams p = e.getValue().params(spec);
            return new Value(e.getKey(), r.min(0), r.max(0), p.scale(0), p.zeroPoint(0));
        }).toList();
    }

    void write(Path file) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(this);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    static RangesFile read(Path file) throws IOException {
        RangesFile r;
        try {
            r = JSON.readValue(Files.readString(file), RangesFile.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new BadInputException(file, "not a quant4j ranges file: " + e.getOriginalMessage());
        }
        if (r == null || !FORMAT.equals(r.format())) throw new BadInputException(file, "not a quant4j ranges file (format must be " + FORMAT + ")");
        if (r.values() == null || r.activations() == null) throw new BadInputException(file, "ranges file without values or activation type");
        for (Value v : r.values())
            if (v.name() == null || !Float.isFinite(v.min()) || !Float.isFinite(v.max()) || v.min() > v.max())
                throw new BadInputException(file, "bad range for value '" + v.name() + "': [" + v.min() + ", " + v.max() + "]");
        return r;
    }

    /** The ranges as observers that answer with them (and refuse new data). */
    Map<String, Observer> observers() {
        Map<String, Observer> out = new TreeMap<>();
        for (Value v : values) out.put(v.name(), new Fixed(v));
        return out;
    }

    /** A range read from a file: it was chosen for this file's activation type, whatever spec asks. */
    private record Fixed(Value v) implements Observer {
        @Override public void observe(float[] batch, long[] shape) { throw new UnsupportedOperationException("a range read from a file observes nothing"); }

        @Override public void merge(Observer other) { throw new UnsupportedOperationException("a range read from a file merges nothing"); }

        @Override public ChannelRanges ranges(QuantSpec spec) { return new ChannelRanges(-1, new float[] {v.min()}, new float[] {v.max()}); }

        @Override public String name() { return "range of " + v.name() + " from file"; }
    }
}
