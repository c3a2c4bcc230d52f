package dev.quant4j.tune.task;

import dev.quant4j.data.Sample;
import dev.quant4j.data.faces.LfwSubset;
import dev.quant4j.tune.EvalData;
import java.nio.file.Path;
import java.util.List;

/**
 * BlazeFace front-128 on scikit-image's lfw_subset: 100 faces (label 1) and 100 non-faces (label
 * 0), resized to 128×128 in [-1, 1], grey copied to three channels, NHWC.
 */
public final class BlazeFaceInputs {
    public static final String INPUT = "input:0";
    public static final List<String> SCORE_OUTPUTS = List.of("Identity:0", "Identity_1:0");

    private BlazeFaceInputs() {}

    public static EvalData<Sample> lfw(Path lfwSubsetNpy) {
        return EvalData.of(LfwSubset.open(lfwSubsetNpy).blazeFace(), EvalData.batchOfOne(INPUT));
    }

    /** Face-detection AUC (face score: largest sigmoid over both score outputs). */
    public static DetectionAucTask task(EvalData<Sample> data) {
        return new DetectionAucTask("BlazeFace face/non-face AUC", data, SCORE_OUTPUTS);
    }
}
