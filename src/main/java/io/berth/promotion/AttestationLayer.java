package io.berth.promotion;

import io.berth.oci.Descriptor;
import java.util.Optional;

/**
 * One DSSE envelope layer found for a candidate ({@link AttestationEnvelopes}), not yet verified.
 *
 * @param foundIn  where it was found, for verdicts: {@code tag sha256-….att} or {@code referrer sha256:…}
 * @param layer    the layer's descriptor; its annotations ({@code predicateType}) are not trusted
 * @param envelope the envelope blob's bytes, empty when the blob is over
 *                 {@link io.berth.oci.Limits#MAX_ATTESTATION_ENVELOPE_BYTES} or the store does not hold it
 */
public record AttestationLayer(String foundIn, Descriptor layer, Optional<byte[]> envelope) {
}
