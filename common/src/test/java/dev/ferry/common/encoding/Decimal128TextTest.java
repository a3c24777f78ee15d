package dev.ferry.common.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;

import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

/** The fast text of a Decimal128 is the driver's text, for every kind of value. */
class Decimal128TextTest {

    private static String fast(Decimal128 value) {
        ByteBuilder out = new ByteBuilder(64);
        Decimal128Text.write(value.getHigh(), value.getLow(), out);
        return out.toUtf8String();
    }

    @Test
    void pricesAndAmountsReadAsTheDriverWritesThem() {
        for (String text : new String[] {"0", "-0", "12.34", "-0.000001", "0.0000001", "1E+3", "100", "1.000",
            "123456789012345678", "-9223372036854775807", "0E-10", "5E-7", "-1.5E+20"}) {
            Decimal128 value = Decimal128.parse(text);
            assertThat(fast(value)).as(text).isEqualTo(value.toString());
        }
    }

    @Test
    void randomValuesOfEveryExponentReadAsTheDriverWritesThem() {
        Random random = new Random(128);
        for (int i = 0; i < 20_000; i++) {
            BigInteger coefficient = switch (i % 3) {
                case 0 -> BigInteger.valueOf(random.nextInt(1_000_000));
                case 1 -> BigInteger.valueOf(random.nextLong() & Long.MAX_VALUE);
                default -> new BigInteger(110, random);
            };
            int scale = random.nextInt(80) - 40;
            BigDecimal decimal = new BigDecimal(random.nextBoolean() ? coefficient : coefficient.negate(), scale);
            Decimal128 value = new Decimal128(decimal);
            assertThat(fast(value)).as(decimal.toString()).isEqualTo(value.toString());
        }
    }

    @Test
    void specialValuesReadAsTheDriverWritesThem() {
        for (Decimal128 value : new Decimal128[] {Decimal128.NaN, Decimal128.NEGATIVE_NaN, Decimal128.POSITIVE_INFINITY,
            Decimal128.NEGATIVE_INFINITY, Decimal128.NEGATIVE_ZERO, Decimal128.POSITIVE_ZERO,
            Decimal128.fromIEEE754BIDEncoding(0x6000000000000000L | (6176L << 47), 5)}) {
            assertThat(fast(value)).isEqualTo(value.toString());
        }
    }
}
