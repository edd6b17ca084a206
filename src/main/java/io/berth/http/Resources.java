package io.berth.http;

import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;

/** Small helpers shared by the resources. */
final class Resources {
    private Resources() {
    }

    static void methodNotAllowed(Exchange exchange, String allowed) {
        exchange.setHeader("Allow", allowed);
        throw RegistryException.withStatus(ErrorCode.UNSUPPORTED, 405,
                exchange.method() + " is not supported here; use " + allowed);
    }

    /** Refuses, with 405, any method but {@code allowed}. */
    static void requireMethod(Exchange exchange, String... allowed) {
        for (String method : allowed) {
            if (method.equals(exchange.method())) {
                return;
            }
        }
        methodNotAllowed(exchange, String.join(", ", allowed));
    }

    /** A request Berth cannot act on: 400 with the spec's catch-all code. */
    static RegistryException badRequest(String message) {
        return RegistryException.withStatus(ErrorCode.UNSUPPORTED, 400, message);
    }

    static RepositoryName name(String raw) {
        return RepositoryName.parse(raw);
    }
}
