package dev.nightjar.sensors;

import java.util.List;

/** Whether a feature runs, and if not (or only partly) why. */
public record FeatureStatus(Feature feature, boolean on, List<String> problems) {

    static FeatureStatus on(Feature feature, List<String> problems) {
        return new FeatureStatus(feature, true, List.copyOf(problems));
    }

    static FeatureStatus off(Feature feature, String reason) {
        return new FeatureStatus(feature, false, List.of(reason));
    }

    public String describe() {
        String name = feature.name().toLowerCase(java.util.Locale.ROOT);
        if (!on) {
            return name + ": OFF (" + String.join("; ", problems) + ")";
        }
        return problems.isEmpty() ? name + ": on" : name + ": on, degraded (" + String.join("; ", problems) + ")";
    }
}
