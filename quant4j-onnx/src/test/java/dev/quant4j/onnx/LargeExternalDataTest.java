package dev.quant4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.proto.OnnxProto.ModelProto;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose weights exceed 2 GB, possible only through external data: one 2.5 GB tensor and a
 * small tensor placed after it, in a sparse side file (setLength allocates no disk blocks, so the
 * test neither fills the disk nor takes long). The reader maps the side file instead of copying it.
 */
class LargeExternalDataTest {
    @TempDir Path tmp;

    @Test
    void readsWeightsBeyondTwoGigabytesMapped() throws Exception {
        long bigFloats = 640L * 1024 * 1024;          // 2.5 GiB of float32
        long bigBytes = bigFloats * 4;
        long tailOffset = bigBytes + 4096;
        Path data = tmp.resolve("weights.bin");
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.setLength(tailOffset + 16);
            ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            b.putFloat(1.5f).putFloat(-2f).putFloat(3.25f).putFloat(7f);
            f.seek(tailOffset);
            f.write(b.array());
            f.seek(bigBytes - 4);                       // the big tensor's last element
            f.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(42f).array());
        }
        ModelProto m = Protos.addModel(Protos.externalTensor("w", 4, "weights.bin", tailOffset, 16).build(), 4);
        m = m.toBuilder().setGraph(m.getGraph().toBuilder()
                .addInitializer(Protos.externalTensor("big", bigFloats, "weights.bin", 0, bigBytes))).build();
        Path model = Protos.write(tmp.resolve("big.onnx"), m);

        long heapBefore = usedHeap();
        try (Model read = OnnxReader.read(model)) {
            Tensor big = read.graph().initializers().get("big");
            Tensor w = read.graph().initializers().get("w");
            assertEquals(bigBytes, big.byteSize());
            assertTrue(big.isNative() && big.data().isMapped(), "the 2.5 GB tensor must be mapped, not copied");
            assertEquals(42.0, big.getDouble(bigFloats - 1));
            assertEquals(0.0, big.getDouble(bigFloats / 2));
            assertEquals(DataType.FLOAT32, w.dtype());
            assertEquals(3.25f, w.floats()[2]);
            // A 2.5 GB copy cannot hide in the heap: growth stays far below the tensor's size.
            assertTrue(usedHeap() - heapBefore < 256L << 20, "heap grew by " + (usedHeap() - heapBefore));
            // Too large for a Java array: the accessor says so instead of failing obscurely.
            assertThrows(IllegalStateException.class, big::bytes);
            // Writing it embedded would pass protobuf's 2 GB limit: refused before anything is written.
            Path out = tmp.resolve("embedded.onnx");
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxWriter.write(read, out));
            assertTrue(e.getMessage().contains("2 GB"), e.getMessage());
            assertTrue(Files.notExists(out));
        }
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
