package dev.quant4j.cli;

import dev.quant4j.llm.bench.SpeedBench;
import dev.quant4j.llm.quant.GgmlType;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quant4j llm bench}: wraps {@link SpeedBench} (a ~1.1B-parameter model with random weights). */
@Command(name = "bench", description = {"Decode and prefill speed of the Llama forward pass on a ~1.1B-parameter random model, per weight type",
        "and thread count, next to the read bandwidth measured in the same run. Needs about 5 GB of memory for F32."})
final class LlmBenchCommand implements Callable<Integer> {
    @Option(names = "--types", split = ",", defaultValue = "F32,F16,Q8_0,Q4_0,Q4_K", description = "Weight types (default: ${DEFAULT-VALUE}).")
    List<GgmlType> types;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Thread counts (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--decode-tokens", defaultValue = "16", description = "Decode steps timed (default: ${DEFAULT-VALUE}).")
    int decode;

    @Option(names = "--prefill-tokens", defaultValue = "64", description = "Prompt length of the timed prefill (default: ${DEFAULT-VALUE}).")
    int prefill;

    @Override
    public Integer call() throws Exception {
        SpeedBench.main(new String[] {types.stream().map(Enum::name).collect(Collectors.joining(",")),
                threads.stream().map(String::valueOf).collect(Collectors.joining(",")), String.valueOf(decode), String.valueOf(prefill)});
        return Quant4j.OK;
    }
}
