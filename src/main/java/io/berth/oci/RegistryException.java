package io.berth.oci;

import java.util.Optional;

/**
 * A request that cannot be served for a reason the OCI error table names. Everything below the HTTP
 * layer reports client-visible failures with this exception; the HTTP layer renders it as the spec's
 * JSON error body with {@link #httpStatus()}.
 */
public final class RegistryException extends RuntimeException {
    private final ErrorCode code;
    private final int httpStatus;
    private final transient Optional<Object> detail;

    private RegistryException(ErrorCode code, int httpStatus, String message, Optional<Object> detail) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
        this.detail = detail;
    }

    public static RegistryException of(ErrorCode code, String message) {
        return new RegistryException(code, code.httpStatus(), message, Optional.empty());
    }

    public static RegistryException withStatus(ErrorCode code, int httpStatus, String message) {
        return new RegistryException(code, httpStatus, message, Optional.empty());
    }

    public static RegistryException withDetail(ErrorCode code, String message, Object detail) {
        return new RegistryException(code, code.httpStatus(), message, Optional.of(detail));
    }

    public ErrorCode code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public Optional<Object> detail() {
        return detail;
    }
}
