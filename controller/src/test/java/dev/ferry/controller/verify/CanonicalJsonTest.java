package dev.ferry.controller.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Documents compare by content: key order does not matter, anything else does. */
class CanonicalJsonTest {

    @Test
    void keyOrderDoesNotChangeTheHashAtAnyDepth() {
        assertThat(CanonicalJson.hash("{\"b\":1,\"a\":{\"y\":[1,{\"q\":2,\"p\":3}],\"x\":null}}"))
            .isEqualTo(CanonicalJson.hash("{\"a\":{\"x\":null,\"y\":[1,{\"p\":3,\"q\":2}]},\"b\":1}"));
    }

    @Test
    void aDoubleAndAnIntegerOfTheSameValueDiffer() {
        assertThat(CanonicalJson.hash("{\"n\":1.0}")).isNotEqualTo(CanonicalJson.hash("{\"n\":1}"));
    }

    @Test
    void arrayOrderMatters() {
        assertThat(CanonicalJson.hash("[1,2]")).isNotEqualTo(CanonicalJson.hash("[2,1]"));
    }

    @Test
    void largeIntegersAndDecimalsKeepEveryDigit() {
        assertThat(CanonicalJson.of("{\"n\":9007199254740993,\"d\":0.30000000000000004}"))
            .isEqualTo("{\"d\":0.30000000000000004,\"n\":9007199254740993}");
    }

    @Test
    void textThatIsNotJsonIsComparedAsItIs() {
        assertThat(CanonicalJson.of("not json {")).isEqualTo("not json {");
        assertThat(CanonicalJson.hash("a")).isNotEqualTo(CanonicalJson.hash("b"));
    }
}
