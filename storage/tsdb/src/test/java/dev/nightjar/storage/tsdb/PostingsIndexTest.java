package dev.nightjar.storage.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Matcher;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostingsIndexTest {

    @Test
    void intersectUnionAndSubtract() {
        assertThat(PostingsIndex.intersect(new int[] {1, 3, 5, 7}, new int[] {3, 4, 5, 8}))
                .containsExactly(3, 5);
        assertThat(PostingsIndex.union(List.of(new int[] {1, 5}, new int[] {2, 5, 9}, new int[] {})))
                .containsExactly(1, 2, 5, 9);
        assertThat(PostingsIndex.subtract(new int[] {1, 2, 3, 4}, new int[] {2, 4, 6}))
                .containsExactly(1, 3);
        assertThat(PostingsIndex.intersect(new int[] {}, new int[] {1})).isEmpty();
    }

    @Test
    void selectsByEveryMatcherKind() {
        PostingsIndex index = new PostingsIndex();
        index.add(1, Labels.of("__name__", "up", "job", "api", "zone", "eu"));
        index.add(2, Labels.of("__name__", "up", "job", "web"));
        index.add(3, Labels.of("__name__", "down", "job", "api"));

        assertThat(index.select(List.of(Matcher.metricName("up")))).containsExactly(1, 2);
        assertThat(index.select(List.of(Matcher.metricName("up"), Matcher.equal("job", "api"))))
                .containsExactly(1);
        assertThat(index.select(List.of(Matcher.metricName("up"), Matcher.notEqual("job", "api"))))
                .containsExactly(2);
        assertThat(index.select(List.of(Matcher.regex("job", "a.*")))).containsExactly(1, 3);
        assertThat(index.select(List.of(Matcher.metricName("up"), Matcher.equal("zone", ""))))
                .containsExactly(2);
        assertThat(index.select(List.of(Matcher.metricName("up"), Matcher.notRegex("zone", "e."))))
                .containsExactly(2);
        assertThat(index.select(List.of(Matcher.metricName("nope")))).isEmpty();
        assertThat(index.labelNames()).containsExactly("__name__", "job", "zone");
        assertThat(index.labelValues("job")).containsExactly("api", "web");
    }
}
