package dev.ferry.common.encoding;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable array of bytes that encoders append to, kept between uses so that encoding a row allocates nothing
 * once it has grown to its working size. Not thread-safe.
 */
public final class ByteBuilder {

    private byte[] bytes;
    private int size;

    public ByteBuilder(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    /** The bytes appended so far, as a stream over this builder's array (no copy): read it before appending more. */
    public InputStream asInputStream() {
        return new ByteArrayInputStream(bytes, 0, size);
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    public String toUtf8String() {
        return new String(bytes, 0, size, StandardCharsets.UTF_8);
    }

    /** Gives back the memory of a builder that grew large for one big value, keeping {@code capacity}. */
    public void shrinkTo(int capacity) {
        if (bytes.length > capacity && size <= capacity) {
            bytes = Arrays.copyOf(bytes, capacity);
        }
    }

    /** Replaces the byte at {@code index}, one appended before: a flag written ahead of what decides it. */
    public void set(int index, byte b) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("byte " + index + " of " + size);
        }
        bytes[index] = b;
    }

    public ByteBuilder append(byte b) {
        ensure(1);
        bytes[size++] = b;
        return this;
    }

    public ByteBuilder append(char ascii) {
        return append((byte) ascii);
    }

    public ByteBuilder append(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
        return this;
    }

    public ByteBuilder append(ByteBuilder other) {
        return append(other.bytes, 0, other.size);
    }

    /** Appends text known to be ASCII (numbers, names), one byte per character. */
    public ByteBuilder appendAscii(String ascii) {
        int length = ascii.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            bytes[size++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    public ByteBuilder appendUtf8(String text) {
        byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
        return append(encoded, 0, encoded.length);
    }

    /** The decimal digits of {@code value}, written in place (Long.toString's String is the cost it avoids). */
    public ByteBuilder appendDecimal(long value) {
        if (value == Long.MIN_VALUE) {
            return appendAscii(Long.toString(value));
        }
        ensure(20);
        long rest = value;
        if (rest < 0) {
            bytes[size++] = '-';
            rest = -rest;
        }
        int digits = 1;
        for (long bound = 10; digits < 19 && rest >= bound; bound *= 10) {
            digits++;
        }
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        size += digits;
        return this;
    }

    /** {@code value} as exactly {@code digits} decimal digits, with leading zeros (0 <= value < 10^digits). */
    public ByteBuilder appendDigits(int value, int digits) {
        ensure(digits);
        int rest = value;
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        size += digits;
        return this;
    }

    /** ClickHouse's variable-length unsigned integer (LEB128), which prefixes a String in RowBinary. */
    public ByteBuilder appendVarUInt(long value) {
        ensure(10);
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        bytes[size++] = (byte) rest;
        return this;
    }

    public ByteBuilder appendInt64LittleEndian(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    public ByteBuilder appendInt32LittleEndian(int value) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            bytes[size++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            long wanted = Math.max((long) bytes.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("a value of more than 2 GB cannot be encoded");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }
}
