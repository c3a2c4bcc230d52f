package dev.quant4j.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a quant4j report shows: what quantization cost (metrics), what it bought (size, latency), where
 * (per-layer sensitivity, histograms), what the automatic search tried and chose, whether the result deploys,
 * and how it was made. Every list may be empty; {@code search} and {@code provenance} may be null. The first
 * model is the reference.
 *
 * @param createdAt ISO-8601 time the figures were measured
 */
public record Report(String title, String createdAt, List<ModelSummary> models, List<MetricComparison> metrics,
                     List<LatencyRow> latency, List<LayerSensitivity> layers, SearchResult search,
                     List<Histogram> histograms, List<DeployabilityRow> deployability, Provenance provenance) {
    public Report {
        Check.text(title, "title");
        createdAt = Check.optionalText(createdAt);
        models = Check.list(models);
        metrics = Check.list(metrics);
        latency = Check.list(latency);
        layers = Check.list(layers);
        histograms = Check.list(histograms);
        deployability = Check.list(deployability);
    }

    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** Collects the sections one by one (the producers of a report usually have them at different times). */
    public static final class Builder {
        private final String title;
        private String createdAt = java.time.Instant.now().toString();
        private final List<ModelSummary> models = new ArrayList<>();
        private final List<MetricComparison> metrics = new ArrayList<>();
        private final List<LatencyRow> latency = new ArrayList<>();
        private final List<LayerSensitivity> layers = new ArrayList<>();
        private SearchResult search;
        private final List<Histogram> histograms = new ArrayList<>();
        private final List<DeployabilityRow> deployability = new ArrayList<>();
        private Provenance provenance;

        private Builder(String title) {
            this.title = Check.text(title, "title");
        }

        public Builder createdAt(String isoTime) { createdAt = isoTime; return this; }
        public Builder model(ModelSummary m) { models.add(m); return this; }
        public Builder metric(MetricComparison m) { metrics.add(m); return this; }
        public Builder latency(LatencyRow r) { latency.add(r); return this; }
        public Builder layer(LayerSensitivity l) { layers.add(l); return this; }
        public Builder search(SearchResult s) { search = s; return this; }
        public Builder histogram(Histogram h) { histograms.add(h); return this; }
        public Builder deployability(DeployabilityRow d) { deployability.add(d); return this; }
        public Builder provenance(Provenance p) { provenance = p; return this; }

        public Report build() {
            return new Report(title, createdAt, models, metrics, latency, layers, search, histograms, deployability,
                    provenance);
        }
    }
}
