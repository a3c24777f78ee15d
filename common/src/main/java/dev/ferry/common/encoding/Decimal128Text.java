package dev.ferry.common.encoding;

import org.bson.types.Decimal128;

/**
 * A Decimal128's text exactly as {@link Decimal128#toString()} writes it (IEEE 754's scientific form: plain digits
 * when the exponent is at most 0 and the adjusted exponent at least -6, otherwise {@code d.dddE+n}), without going
 * through {@code BigDecimal} when the coefficient fits in a long, as amounts and prices do: the driver's way costs
 * more than the rest of a document's encoding. Other values take the driver's way.
 */
final class Decimal128Text {

    private static final long SIGN = 1L << 63;
    private static final long TWO_HIGHEST_COMBINATION_BITS = 3L << 61;
    private static final long INFINITY_OR_NAN = 0x7800000000000000L;
    private static final long HIGH_COEFFICIENT = 0x1FFFFFFFFFFFFL;
    private static final int EXPONENT_OFFSET = 6176;

    private Decimal128Text() {
    }

    static void write(long high, long low, ByteBuilder out) {
        boolean special = (high & INFINITY_OR_NAN) == INFINITY_OR_NAN;
        boolean noncanonical = (high & TWO_HIGHEST_COMBINATION_BITS) == TWO_HIGHEST_COMBINATION_BITS;
        if (special || (!noncanonical && ((high & HIGH_COEFFICIENT) != 0 || low < 0))) {
            out.appendAscii(Decimal128.fromIEEE754BIDEncoding(high, low).toString());
            return;
        }
        int exponent;
        String significand;
        if (noncanonical) {
            // a coefficient above 10^34 - 1 counts as zero
            exponent = (int) ((high & 0x1fffe00000000000L) >>> 47) - EXPONENT_OFFSET;
            significand = "0";
        } else {
            exponent = (int) ((high & 0x7fff800000000000L) >>> 49) - EXPONENT_OFFSET;
            significand = Long.toString(low);
        }
        if ((high & SIGN) != 0) {
            out.append('-');
        }
        int adjusted = exponent + significand.length() - 1;
        if (exponent <= 0 && adjusted >= -6) {
            if (exponent == 0) {
                out.appendAscii(significand);
                return;
            }
            int pad = -exponent - significand.length();
            if (pad >= 0) {
                out.append('0').append('.');
                for (int i = 0; i < pad; i++) {
                    out.append('0');
                }
                out.appendAscii(significand);
            } else {
                out.appendAscii(significand.substring(0, -pad)).append('.').appendAscii(significand.substring(-pad));
            }
            return;
        }
        out.append((byte) significand.charAt(0));
        if (significand.length() > 1) {
            out.append('.').appendAscii(significand.substring(1));
        }
        out.append('E');
        if (adjusted > 0) {
            out.append('+');
        }
        out.appendDecimal(adjusted);
    }
}
