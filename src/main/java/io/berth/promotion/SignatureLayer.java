package io.berth.promotion;

import io.berth.oci.Descriptor;
import java.util.Optional;

/**
 * One simple-signing layer found for a candidate ({@link SignatureLayers}), not yet verified.
 *
 * @param foundIn where it was found, for verdicts: {@code tag sha256-….sig} or {@code referrer sha256:…}
 * @param layer   the layer's descriptor: the payload's digest and size, the signature in its annotations
 * @param payload the payload blob's bytes, empty when the blob is over
 *                {@link io.berth.oci.Limits#MAX_SIGNATURE_PAYLOAD_BYTES} or the store does not hold it
 */
public record SignatureLayer(String foundIn, Descriptor layer, Optional<byte[]> payload) {
}
