package io.berth.oci;

/**
 * The error codes of the OCI Distribution Spec ("Error Codes", code-1 … code-14), each with the HTTP
 * status Berth answers with unless a call site names a more precise one (413 for an oversized
 * manifest, 416 for an out-of-order chunk, 405 for a disabled operation), and CNCF Distribution's
 * {@code UNAVAILABLE} for a server that cannot take a request now.
 */
public enum ErrorCode {
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(400, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    NAME_INVALID(400, "invalid repository name"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    SIZE_INVALID(400, "provided length did not match content length"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    UNSUPPORTED(405, "the operation is unsupported"),
    TOOMANYREQUESTS(429, "too many requests"),
    /** Not in the spec's table: Distribution's code ({@code errcode.ErrorCodeUnavailable}) for a server that is busy or down. */
    UNAVAILABLE(503, "service unavailable");

    private final int httpStatus;
    private final String description;

    ErrorCode(int httpStatus, String description) {
        this.httpStatus = httpStatus;
        this.description = description;
    }

    /** The HTTP status used when the call site does not choose another. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The spec's one-line description of the code. */
    public String description() {
        return description;
    }
}
