package dev.quant4j.bench.ptq;

import dev.quant4j.data.Dataset;
import dev.quant4j.data.Sample;
import dev.quant4j.data.faces.LfwSubset;
import dev.quant4j.data.idx.IdxDataset;
import dev.quant4j.data.text.BrownCorpus;
import dev.quant4j.data.text.PpOcrInput;
import dev.quant4j.data.text.TextLineDataset;
import dev.quant4j.data.text.TextLineRenderer;
import dev.quant4j.graph.Tensor;
import dev.quant4j.llm.tokenizer.HfWordPiece;
import dev.quant4j.llm.tokenizer.WordPiece;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The real float32 models of the PTQ benchmark, each with real inputs made by quant4j-data:
 * sample {@code i} is one input of batch 1 (calibration uses the first few, timing another one).
 */
record PtqModels(String name, Path fp32, IntFunction<Map<String, Tensor>> sample) {

    static PtqModels blazeFace() {
        Dataset<Sample> faces = LfwSubset.open(TestData.require("datasets/images/lfw_subset.npy")).blazeFace();
        return new PtqModels("BlazeFace", TestData.require("models/blazeface/face_detection_front_128x128_barracuda.onnx"),
                i -> Map.of("input:0", batchOfOne(faces.get(i * 10 % faces.size()))));
    }

    static PtqModels ppOcrRec() {
        List<String> lines = new ArrayList<>();
        for (String s : brown(60)) for (String l : BrownCorpus.cutIntoLines(s, 24)) lines.add(l);
        TextLineDataset d = new TextLineDataset(lines, new TextLineRenderer(TextLineRenderer.FALLBACK),
                TextLineDataset.Task.RECOGNITION, PpOcrInput.REC_MIN_WIDTH, 7);
        return new PtqModels("PP-OCRv4 rec", TestData.require("models/ppocr/ch_PP-OCRv4_rec_infer.onnx"),
                i -> Map.of("x", batchOfOne(d.get(i % d.size()))));
    }

    /** The Fashion-MNIST CNN that quant4j-train ships (read from its source tree), on Fashion-MNIST test images. */
    static PtqModels fashionCnn(Path model) {
        IdxDataset test = IdxDataset.fashionMnist(TestData.require("datasets/fashion-mnist"), "t10k");
        return new PtqModels("Fashion CNN", model, i -> Map.of("image", batchOfOne(test.get(i))));
    }

    /** all-MiniLM-L6-v2 from its Maven Central jar, on single tokenized Brown sentences. */
    static PtqModels miniLm(Path dir) throws IOException {
        Path model = resource("all-minilm-l6-v2.onnx", dir);
        WordPiece tok = HfWordPiece.read(resource("all-minilm-l6-v2-tokenizer.json", dir));
        List<String> sentences = brown(200);
        return new PtqModels("MiniLM-L6", model, i -> {
            int[] ids = tok.encode(sentences.get(i % sentences.size()), true, false);
            if (ids.length > 128) ids = java.util.Arrays.copyOf(ids, 128);
            long[] in = new long[ids.length], mask = new long[ids.length];
            for (int k = 0; k < ids.length; k++) { in[k] = ids[k]; mask[k] = 1; }
            return Map.of("input_ids", Tensor.ofLongs(in, 1, ids.length), "attention_mask", Tensor.ofLongs(mask, 1, ids.length),
                    "token_type_ids", Tensor.ofLongs(new long[ids.length], 1, ids.length));
        });
    }

    static List<String> brown(int count) {
        return BrownCorpus.read(TestData.require("datasets/text/brown_sentences.txt.gz"), count).stream().map(BrownCorpus::detokenize).toList();
    }

    static Tensor batchOfOne(Sample s) {
        long[] shape = new long[s.shape().length + 1];
        shape[0] = 1;
        System.arraycopy(s.shape(), 0, shape, 1, s.shape().length);
        return Tensor.of(s.data(), shape);
    }

    /** Copies a classpath resource (a model inside a test dependency's jar) into {@code dir}. */
    static Path resource(String name, Path dir) throws IOException {
        Path out = dir.resolve(name);
        if (Files.exists(out)) return out;
        try (InputStream in = PtqModels.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IOException("classpath resource " + name + " not found");
            Path tmp = Files.createTempFile(dir, name, ".part");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        }
        return out;
    }
}
