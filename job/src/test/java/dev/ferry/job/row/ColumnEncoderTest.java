package dev.ferry.job.row;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import dev.ferry.common.columns.ColumnType;
import dev.ferry.common.encoding.ByteBuilder;

/**
 * The RowBinary a typed column writes for a value, for the types ClickHouse 18.16 lacks (so that the tests against
 * the server cannot read them back) and for what does not fit.
 */
class ColumnEncoderTest {

    private record Written(boolean fits, byte[] bytes) {
    }

    private static Written write(String type, BsonValue value) {
        ByteBuilder out = new ByteBuilder(16);
        boolean fits = ColumnEncoder.of(ColumnType.parse(type)).write(value, out);
        return new Written(fits, out.toByteArray());
    }

    private static byte[] int64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    @Test
    void aFloat64IsItsEightBytesAndAStringIsZeroAndAMismatch() {
        assertThat(write("Float64", new BsonDouble(2.5))).usingRecursiveComparison()
            .isEqualTo(new Written(true, int64(Double.doubleToRawLongBits(2.5))));
        assertThat(write("Float64", new BsonInt32(3)).bytes()).isEqualTo(int64(Double.doubleToRawLongBits(3.0)));
        assertThat(write("Float64", new BsonString("3"))).usingRecursiveComparison()
            .isEqualTo(new Written(false, int64(0)));
    }

    @Test
    void aBoolIsOneByteAndANumberIsFalseAndAMismatch() {
        assertThat(write("Bool", BsonBoolean.TRUE)).usingRecursiveComparison()
            .isEqualTo(new Written(true, new byte[] {1}));
        assertThat(write("Bool", new BsonInt32(1))).usingRecursiveComparison()
            .isEqualTo(new Written(false, new byte[] {0}));
    }

    @Test
    void aDateTime64IsMillisecondsSinceTheEpochFromADateOrAnIsoString() {
        assertThat(write("DateTime64(3)", new BsonDateTime(1_700_000_000_123L)).bytes())
            .isEqualTo(int64(1_700_000_000_123L));
        assertThat(write("DateTime64(3)", new BsonString("2023-11-14T22:13:20.123Z")).bytes())
            .isEqualTo(int64(1_700_000_000_123L));
        assertThat(write("DateTime64(3)", new BsonString("yesterday")).fits()).isFalse();
    }

    @Test
    void aNullableIsNullForAnExplicitNullWhichFitsAndForAMissingFieldWhichDoesNot() {
        assertThat(write("Nullable(Int64)", BsonNull.VALUE)).usingRecursiveComparison()
            .isEqualTo(new Written(true, new byte[] {1}));
        assertThat(write("Nullable(Int64)", null)).usingRecursiveComparison()
            .isEqualTo(new Written(false, new byte[] {1}));
        assertThat(write("Nullable(Int64)", new BsonString("x"))).usingRecursiveComparison()
            .isEqualTo(new Written(false, new byte[] {1}));
        ByteBuffer seven = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0).putLong(7);
        assertThat(write("Nullable(Int64)", new BsonInt32(7)).bytes()).isEqualTo(seven.array());
    }
}
