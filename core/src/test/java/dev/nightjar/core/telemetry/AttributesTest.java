package dev.nightjar.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attributes built by the builder (no second copy) behave exactly as those built from a map. */
class AttributesTest {

    @Test
    void aBuilderKeepsOrderAndItsResultStaysImmutableWhenTheBuilderGoesOn() {
        Attributes.Builder b = Attributes.builder().put("z", "1").put("a", 2L);
        Attributes first = b.build();
        b.put("m", true).put("z", "changed");
        Attributes second = b.build();
        b.put("later", 1.5);

        assertThat(List.copyOf(first.asMap().keySet())).containsExactly("z", "a");
        assertThat(first.getText("z")).contains("1");
        assertThat(List.copyOf(second.asMap().keySet())).containsExactly("z", "a", "m");
        assertThat(second.getText("z")).contains("changed");
        assertThat(second.get("later")).isEmpty();
        assertThatThrownBy(() -> first.asMap().put("x", AttributeValue.of("y")))
                .isInstanceOf(UnsupportedOperationException.class);

        Map<String, AttributeValue> plain = new LinkedHashMap<>();
        plain.put("z", AttributeValue.of("1"));
        plain.put("a", AttributeValue.of(2L));
        assertThat(first).isEqualTo(new Attributes(plain)).hasSameHashCodeAs(new Attributes(plain));
        plain.put("after", AttributeValue.of("copy"));
        assertThat(new Attributes(plain).size()).isEqualTo(3);
        assertThat(Attributes.builder().build()).isSameAs(Attributes.EMPTY);
    }

    @Test
    void hostileKeysAndValuesAreRefusedOnBothPaths() {
        assertThatThrownBy(() -> Attributes.builder().put("", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Attributes.builder().put("a\0b", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Attributes.builder().put("k", (AttributeValue) null))
                .isInstanceOf(NullPointerException.class);
        Map<String, AttributeValue> bad = new LinkedHashMap<>();
        bad.put("a\0b", AttributeValue.of("v"));
        assertThatThrownBy(() -> new Attributes(bad)).isInstanceOf(IllegalArgumentException.class);
        Map<String, AttributeValue> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> new Attributes(nullValue)).isInstanceOf(NullPointerException.class);
    }
}
