package dev.ferry.common.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

class ByteBuilderTest {

    @Test
    void writesEveryLongAsLongToStringDoes() {
        Random random = new Random(10);
        long[] edges = {0, 9, 10, -1, -10, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE,
            Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (long value : edges) {
            assertThat(new ByteBuilder(4).appendDecimal(value).toUtf8String()).isEqualTo(Long.toString(value));
        }
        for (int i = 0; i < 100_000; i++) {
            long value = random.nextLong() >> random.nextInt(64);
            assertThat(new ByteBuilder(4).appendDecimal(value).toUtf8String()).isEqualTo(Long.toString(value));
        }
    }

    @Test
    void padsDigitsWithLeadingZeros() {
        assertThat(new ByteBuilder(4).appendDigits(7, 3).appendDigits(2024, 4).toUtf8String()).isEqualTo("0072024");
    }
}
