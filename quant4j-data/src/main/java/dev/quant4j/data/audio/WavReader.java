package dev.quant4j.data.audio;

import dev.quant4j.data.DataFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads RIFF/WAVE files of 16-bit PCM, mono or stereo, at the rate the header gives.
 *
 * <pre>
 *  "RIFF" size "WAVE"  then chunks:  id(4) size(4, LE) body (padded to an even length)
 *  "fmt " body: format(2) = 1 PCM or 0xFFFE extensible (sub-format 1), channels(2),
 *               rate(4), byte rate(4) = rate·align, block align(2) = channels·2, bits(2) = 16
 *  "data" body: interleaved little-endian int16 frames
 * </pre>
 * Every size is checked against the file before it is used; other chunks are skipped.
 */
public final class WavReader {
    private WavReader() {}

    /** Largest file read (the samples are held on the heap as floats). */
    static final long MAX_BYTES = 1L << 30;

    public static Audio read(Path file) {
        if (!Files.isRegularFile(file)) throw new DataFileException(file, "no such file");
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) throw new DataFileException(file, "larger than " + MAX_BYTES + " bytes");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataFileException(file, "cannot read", e);
        }
        return parse(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), file.toString());
    }

    static Audio parse(ByteBuffer b, String source) {
        if (b.remaining() < 12 || b.getInt(0) != 0x46464952 /* RIFF */ || b.getInt(8) != 0x45564157 /* WAVE */)
            throw new DataFileException(source, "not a RIFF/WAVE file");
        int pos = 12, channels = 0, rate = 0;
        boolean fmt = false;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            long len = b.getInt(pos + 4) & 0xFFFF_FFFFL;
            int body = pos + 8;
            String name = new String(new byte[] {b.get(pos), b.get(pos + 1), b.get(pos + 2), b.get(pos + 3)}, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (len > b.limit() - body)
                throw new DataFileException(source, "truncated: chunk '" + name + "' declares " + len + " bytes, " + (b.limit() - body) + " remain");
            if (name.equals("fmt ")) {
                if (len < 16) throw new DataFileException(source, "fmt chunk of " + len + " bytes is too short");
                int format = b.getShort(body) & 0xFFFF;
                channels = b.getShort(body + 2) & 0xFFFF;
                rate = b.getInt(body + 4);
                int byteRate = b.getInt(body + 8), align = b.getShort(body + 12) & 0xFFFF, bits = b.getShort(body + 14) & 0xFFFF;
                if (format == 0xFFFE) {
                    if (len < 26) throw new DataFileException(source, "extensible fmt chunk of " + len + " bytes is too short");
                    format = b.getShort(body + 24) & 0xFFFF;
                }
                if (format != 1) throw new DataFileException(source, "audio format " + format + " is not PCM (only 16-bit PCM is read)");
                if (bits != 16) throw new DataFileException(source, bits + "-bit samples (only 16-bit PCM is read)");
                if (channels != 1 && channels != 2) throw new DataFileException(source, channels + " channels (mono or stereo are read)");
                if (rate <= 0 || align != channels * 2 || byteRate != rate * align)
                    throw new DataFileException(source, "inconsistent fmt chunk: rate " + rate + ", block align " + align + ", byte rate " + byteRate);
                fmt = true;
            } else if (name.equals("data")) {
                if (!fmt) throw new DataFileException(source, "data chunk before the fmt chunk");
                if (len % (2L * channels) != 0)
                    throw new DataFileException(source, "data chunk of " + len + " bytes is not a whole number of " + channels + "-channel frames");
                int frames = (int) (len / (2L * channels));
                float[][] ch = new float[channels][frames];
                for (int i = 0; i < frames; i++)
                    for (int c = 0; c < channels; c++) ch[c][i] = b.getShort(body + (i * channels + c) * 2) / 32768f;
                return new Audio(rate, ch);
            }
            pos = (int) Math.min(b.limit(), body + len + (len & 1));
        }
        throw new DataFileException(source, fmt ? "no data chunk" : "no fmt chunk");
    }
}
