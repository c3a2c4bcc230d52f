package dev.quant4j.cli;

import dev.quant4j.graph.Model;
import dev.quant4j.report.HtmlReport;
import dev.quant4j.report.Report;
import dev.quant4j.report.ReportJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code quant4j report FP32 QUANT... --data DATA -o report.html}: measures what {@code compare}
 * measures and writes it as one self-contained HTML page (and JSON); {@code --from report.json}
 * renders a saved JSON report again.
 */
@Command(name = "report", description = {"Write a self-contained HTML report (and JSON) of a reference and quantized models.",
        "Measures like `compare`; the page opens offline: sizes, metrics with intervals, latency, histograms with the quantization grid, provenance. --json prints the same as JSON."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "MODEL.onnx", description = "The reference (e.g. fp32) first, then the quantized models.")
    List<Path> models = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DATA", description = "Samples: FILE.npy, FILE.npz (arrays named like the inputs), IDX, a folder of images (class sub-folders = labels; see --mean, --std, --resize), or builtin:fashion.")
    String dataSpec;

    @Option(names = "--from", paramLabel = "report.json", description = "Render this saved JSON report instead of measuring.")
    Path from;

    @Option(names = {"-o", "--output"}, paramLabel = "report.html", description = "Where to write the HTML report.")
    Path output;

    @Option(names = "--json-file", paramLabel = "report.json", description = "Also write the report as JSON here.")
    Path jsonFile;

    @Option(names = "--title", description = "The report's title (default: the models' names).")
    String title;

    @Mixin
    DataOptions data;

    @Mixin
    TaskOptions taskOptions;

    @Mixin
    TimingOptions timing;

    @Override
    public Integer call() throws Exception {
        if (output == null && jsonFile == null && !taskOptions.json)
            throw new CommandLine.ParameterException(spec.commandLine(), "say where the report goes: -o report.html, --json-file FILE or --json");
        Report r;
        if (from != null) {
            if (!models.isEmpty() || dataSpec != null) throw new CommandLine.ParameterException(spec.commandLine(), "--from renders a saved report: give no models or --data");
            try {
                r = ReportJson.read(from);
            } catch (java.nio.file.FileSystemException e) {
                throw e;
            } catch (java.io.IOException e) {
                throw new BadInputException(from, e.getMessage().startsWith(from.toString()) ? e.getMessage().substring(from.toString().length() + 2) : e.getMessage());
            }
        } else {
            if (models.size() < 2 || dataSpec == null) throw new CommandLine.ParameterException(spec.commandLine(), "give a reference and at least one model to compare, and --data");
            for (Path p : models) {
                if (output != null) Inputs.refuseOverwrite(p, output, spec);
                if (jsonFile != null) Inputs.refuseOverwrite(p, jsonFile, spec);
            }
            CompareCommand c = new CompareCommand();
            c.models = models;
            c.dataSpec = dataSpec;
            c.data = data;
            c.taskOptions = taskOptions;
            c.timing = timing;
            List<Model> open = new ArrayList<>();
            try {
                Comparison.Result cr = c.run(open);
                String t = title != null ? title : models.getFirst().getFileName() + " vs " + models.subList(1, models.size()).stream().map(p -> p.getFileName().toString()).toList();
                r = ReportFactory.build(t, cr, open, data.open(dataSpec, open.getFirst())).build();
            } finally {
                for (Model m : open) m.close();
            }
        }
        write(r, output, jsonFile);
        if (taskOptions.json) System.out.println(ReportJson.toJson(r));
        return Quant4j.OK;
    }

    static void write(Report r, Path html, Path json) throws java.io.IOException {
        if (html != null) {
            HtmlReport.write(r, html);
            System.err.println("quant4j: wrote " + html);
        }
        if (json != null) {
            ReportJson.write(r, json);
            System.err.println("quant4j: wrote " + json);
        }
    }
}
