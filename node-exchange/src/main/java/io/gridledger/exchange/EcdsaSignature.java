package io.gridledger.exchange;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Optional;

/**
 * A DER ECDSA signature {@code SEQUENCE { INTEGER r, INTEGER s }} and Fabric's low-S rule: of the two valid values
 * {@code s} and {@code n - s}, only {@code s <= n/2} is accepted, so a signature cannot be altered into another valid
 * one (Fabric's {@code IsLowS}/{@code SignatureToLowS}).
 */
record EcdsaSignature(BigInteger r, BigInteger s) {

    /** Reads a strict DER signature; empty if the bytes are anything else. */
    static Optional<EcdsaSignature> parse(byte[] der) {
        try {
            var reader = new Reader(der);
            reader.expect(0x30);
            int length = reader.length();
            if (length != der.length - reader.position) {
                return Optional.empty();
            }
            var r = reader.integer();
            var s = reader.integer();
            if (reader.position != der.length || r.signum() <= 0 || s.signum() <= 0) {
                return Optional.empty();
            }
            return Optional.of(new EcdsaSignature(r, s));
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /** The order of the curve of {@code key}; empty if it is not an EC key. */
    static Optional<BigInteger> curveOrder(PublicKey key) {
        return key instanceof ECPublicKey ec ? Optional.of(ec.getParams().getOrder()) : Optional.empty();
    }

    boolean isLowS(BigInteger order) {
        return s.compareTo(order.shiftRight(1)) <= 0;
    }

    EcdsaSignature toLowS(BigInteger order) {
        return isLowS(order) ? this : new EcdsaSignature(r, order.subtract(s));
    }

    byte[] toDer() {
        byte[] rBytes = r.toByteArray();
        byte[] sBytes = s.toByteArray();
        var body = new ByteArrayOutputStream();
        writeInteger(body, rBytes);
        writeInteger(body, sBytes);
        var out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void writeInteger(ByteArrayOutputStream out, byte[] value) {
        out.write(0x02);
        writeLength(out, value.length);
        out.writeBytes(value);
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        }
    }

    private static final class Reader {
        private final byte[] der;
        private int position;

        Reader(byte[] der) {
            this.der = der;
        }

        void expect(int tag) {
            if ((der[position++] & 0xff) != tag) {
                throw new IllegalArgumentException("unexpected tag");
            }
        }

        int length() {
            int first = der[position++] & 0xff;
            if (first < 0x80) {
                return first;
            }
            if (first == 0x81) {
                int length = der[position++] & 0xff;
                if (length < 0x80) {
                    throw new IllegalArgumentException("non-minimal length");
                }
                return length;
            }
            throw new IllegalArgumentException("length too long for a signature");
        }

        BigInteger integer() {
            expect(0x02);
            int length = length();
            if (length == 0 || length > 0x42 || position + length > der.length) {
                throw new IllegalArgumentException("bad integer length");
            }
            // DER: minimal, positive
            if (length > 1 && der[position] == 0 && (der[position + 1] & 0x80) == 0) {
                throw new IllegalArgumentException("non-minimal integer");
            }
            var value = new BigInteger(java.util.Arrays.copyOfRange(der, position, position + length));
            position += length;
            return value;
        }
    }
}
