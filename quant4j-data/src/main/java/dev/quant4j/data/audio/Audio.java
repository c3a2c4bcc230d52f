package dev.quant4j.data.audio;

/** PCM audio as floats in [−1, 1), one array per channel, at {@code sampleRate} Hz. */
public record Audio(int sampleRate, float[][] channels) {
    public Audio {
        if (sampleRate < 1) throw new IllegalArgumentException("sample rate " + sampleRate);
        if (channels.length < 1) throw new IllegalArgumentException("no channels");
        for (float[] c : channels)
            if (c.length != channels[0].length) throw new IllegalArgumentException("channels of different lengths");
    }

    public int frames() {
        return channels[0].length;
    }

    public double seconds() {
        return (double) frames() / sampleRate;
    }

    /** The average of the channels (the channel itself when mono). */
    public float[] mono() {
        if (channels.length == 1) return channels[0];
        float[] m = new float[frames()];
        for (float[] c : channels) for (int i = 0; i < m.length; i++) m[i] += c[i];
        for (int i = 0; i < m.length; i++) m[i] /= channels.length;
        return m;
    }
}
