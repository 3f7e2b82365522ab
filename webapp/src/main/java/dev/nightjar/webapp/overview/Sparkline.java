package dev.nightjar.webapp.overview;

import com.vaadin.flow.component.html.Div;
import java.util.List;

/**
 * A tiny bar chart of a service's request rate per bucket, drawn with plain boxes (numbers only, no
 * markup from data), cheap enough for one per row.
 */
class Sparkline extends Div {

    Sparkline(List<Double> values) {
        addClassName("nj-sparkline");
        getStyle()
                .set("display", "flex")
                .set("align-items", "flex-end")
                .set("gap", "1px")
                .set("height", "1.6em")
                .set("width", "7em");
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        for (double v : values) {
            Div bar = new Div();
            double share = max <= 0 ? 0 : v / max;
            bar.getStyle()
                    .set("flex", "1")
                    .set("height", Math.max(2, Math.round(share * 100)) + "%")
                    .set("background", "var(--vaadin-text-color-secondary, currentColor)")
                    .set("opacity", v > 0 ? "0.8" : "0.2");
            add(bar);
        }
    }
}
