package io.berth.conformance;

import java.util.List;

/**
 * The error codes the conformance suite accepts as the first code of an error body: spec v1.1.1
 * "Error Codes" code-1 to code-13, plus the two "Legacy Docker support error codes". The suite
 * does not list code-14, {@code TOOMANYREQUESTS}, so a 400 carrying it would fail its checks.
 */
final class SpecErrorCodes {
    static final List<String> ALL = List.of(
            "BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN", "DIGEST_INVALID", "MANIFEST_BLOB_UNKNOWN",
            "MANIFEST_INVALID", "MANIFEST_UNKNOWN", "NAME_INVALID", "NAME_UNKNOWN", "SIZE_INVALID", "UNAUTHORIZED",
            "DENIED", "UNSUPPORTED", "TAG_INVALID", "MANIFEST_UNVERIFIED");

    private SpecErrorCodes() {
    }
}
