package dev.nightjar.promql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Evaluation cases re-expressed from Prometheus' promqltest files, run against the in-memory store. */
class ScriptTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "functions.test",
                "operators.test",
                "aggregators.test",
                "staleness.test",
                "subquery.test",
                "histograms.test",
                "selectors.test",
            })
    void script(String name) throws Exception {
        int evaluations = new ScriptRunner().run(name);
        assertThat(evaluations).isPositive();
    }
}
