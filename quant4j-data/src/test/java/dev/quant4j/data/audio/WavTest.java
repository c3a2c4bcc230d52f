package dev.quant4j.data.audio;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.data.DataFileException;
import dev.quant4j.data.Sample;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavTest {
    @TempDir Path tmp;

    /** A WAV file laid out by the RIFF specification, with an extra chunk before the data. */
    static byte[] wav(int format, int channels, int rate, int bits, short[] interleaved, int dataLenOverride) {
        int dataLen = interleaved.length * 2;
        ByteBuffer b = ByteBuffer.allocate(12 + 24 + 14 + 8 + dataLen).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(b.capacity() - 8).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) format).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        b.put("LIST".getBytes()).putInt(5).put("INFOx".getBytes()).put((byte) 0); // odd size: padded
        b.put("data".getBytes()).putInt(dataLenOverride >= 0 ? dataLenOverride : dataLen);
        for (short s : interleaved) b.putShort(s);
        return b.array();
    }

    @Test
    void readsMonoAndStereo() throws IOException {
        Path m = tmp.resolve("m.wav");
        Files.write(m, wav(1, 1, 8000, 16, new short[] {0, 16384, -32768, 32767}, -1));
        Audio a = WavReader.read(m);
        assertEquals(8000, a.sampleRate());
        assertArrayEquals(new float[] {0, 0.5f, -1, 32767 / 32768f}, a.mono());
        Path s = tmp.resolve("s.wav");
        Files.write(s, wav(1, 2, 44100, 16, new short[] {1000, -1000, 16384, 0}, -1));
        Audio st = WavReader.read(s);
        assertEquals(2, st.channels().length);
        assertArrayEquals(new float[] {1000 / 32768f, 16384 / 32768f}, st.channels()[0]);
        assertArrayEquals(new float[] {0, 0.25f}, st.mono());
    }

    private void assertBad(byte[] bytes, String fragment) throws IOException {
        Path f = tmp.resolve("bad.wav");
        Files.write(f, bytes);
        DataFileException e = assertThrows(DataFileException.class, () -> WavReader.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void malformedFiles() throws IOException {
        short[] x = {1, 2, 3, 4};
        byte[] ok = wav(1, 1, 16000, 16, x, -1);
        assertBad(java.util.Arrays.copyOf(ok, ok.length - 3), "truncated");
        assertBad(wav(1, 1, 16000, 16, x, 1 << 30), "truncated");
        assertBad(wav(3, 1, 16000, 32, new short[] {1, 2}, -1), "not PCM");
        assertBad(wav(1, 1, 16000, 8, x, -1), "8-bit");
        assertBad(wav(1, 3, 16000, 16, new short[] {1, 2, 3}, -1), "3 channels");
        assertBad(wav(1, 2, 16000, 16, x, 6), "whole number");
        assertBad("RIFX....WAVE".getBytes(), "not a RIFF/WAVE");
    }

    @Test
    void libriVoxRecordingsWithTranscriptions() {
        LibriVox ds = LibriVox.open(TestData.require("datasets/speech/librivox"));
        assertEquals(5, ds.size());
        Sample s = ds.get(1);
        assertEquals("he was not an ill disposed young man", s.text());
        assertEquals(ds.id(1), "sense_and_sensibility_01_austen_64kb-0880");
        // header: 16 kHz mono, data chunk of 0x175c0 bytes = 47,840 samples
        assertEquals(0x175c0 / 2, s.data().length);
        double rms = 0;
        for (float v : s.data()) rms += v * v;
        rms = Math.sqrt(rms / s.data().length);
        assertTrue(rms > 0.01 && rms < 0.5, "speech level " + rms);
        assertTrue(ds.get(0).text().startsWith("and mister john dashwood had then leisure"));
    }

    @Test
    void libriVoxLayoutErrorsNameTheFile() throws IOException {
        Files.writeString(tmp.resolve("fileids"), "a\nb\n");
        Files.writeString(tmp.resolve("transcription"), "<s> hello there </s> (a)\n");
        DataFileException e = assertThrows(DataFileException.class, () -> LibriVox.open(tmp));
        assertTrue(e.getMessage().contains("transcription") && e.getMessage().contains("no transcription for b"), e.getMessage());
        Files.writeString(tmp.resolve("transcription"), "<s> hello there </s> (a)\n<s> resampled </s> (b)\n");
        Files.write(tmp.resolve("b.wav"), wav(1, 2, 8000, 16, new short[] {100, 300, 100, 300}, -1));
        LibriVox ds = LibriVox.open(tmp);
        assertEquals("resampled", ds.get(1).text());
        assertEquals(4, ds.get(1).data().length, "2 frames at 8 kHz become 4 at 16 kHz");
        DataFileException missing = assertThrows(DataFileException.class, () -> ds.get(0));
        assertTrue(missing.getMessage().startsWith(tmp.resolve("a.wav").toString()), missing.getMessage());
    }
}
