package dev.quant4j.tune.auto;

import dev.quant4j.graph.Tensor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 of the calibration data as the quantizer saw it: every feed in order, each input by name
 * (sorted), with its type, shape and element bytes. Two runs calibrated on the same data in the same
 * order get the same digest, whatever files the data came from.
 */
public final class CalibrationDigest {
    private final MessageDigest sha;
    private int samples;

    public CalibrationDigest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** The digest of all {@code feeds}, in order. */
    public static CalibrationDigest of(Iterable<Map<String, Tensor>> feeds) {
        CalibrationDigest d = new CalibrationDigest();
        for (Map<String, Tensor> f : feeds) d.add(f);
        return d;
    }

    public CalibrationDigest add(Map<String, Tensor> feeds) {
        for (var e : new TreeMap<>(feeds).entrySet()) {
            Tensor t = e.getValue();
            text(e.getKey());
            text(t.dtype().name());
            long[] shape = t.shape();
            ByteBuffer b = ByteBuffer.allocate(8 * (shape.length + 1)).putLong(shape.length);
            for (long d : shape) b.putLong(d);
            sha.update(b.array());
            if (t.dtype() == dev.quant4j.core.DataType.STRING) for (byte[] s : t.stringBytes()) { sha.update(ByteBuffer.allocate(8).putLong(s.length).array()); sha.update(s); }
            else sha.update(t.data().asByteBuffer());
        }
        samples++;
        return this;
    }

    private void text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
        sha.update(b);
    }

    public int samples() { return samples; }

    /** The hex digest (the digest state is kept, so more samples may follow). */
    public String hex() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) sha.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
