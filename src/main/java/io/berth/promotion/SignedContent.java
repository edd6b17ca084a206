package io.berth.promotion;

import io.berth.signing.Dsse;

/**
 * What a signature is over, in the two forms the gates verify. Each says which bytes the signature
 * covers and, for keyless signatures, which transparency log entry may record it ({@link RekorEntry}).
 */
public sealed interface SignedContent {

    /** The bytes the signature is over. */
    byte[] signedBytes();

    /** A simple-signing payload, signed as it is; logged as a {@code hashedrekord} of the payload. */
    record SimpleSigning(byte[] payload) implements SignedContent {
        @Override
        public byte[] signedBytes() {
            return payload;
        }
    }

    /**
     * A DSSE envelope's payload (an in-toto statement), signed through the envelope's
     * pre-authentication encoding; logged as an {@code intoto} or {@code dsse} entry naming the
     * payload's hash.
     */
    record Envelope(String payloadType, byte[] payload) implements SignedContent {
        @Override
        public byte[] signedBytes() {
            return Dsse.preAuthenticationEncoding(payloadType, payload);
        }
    }
}
