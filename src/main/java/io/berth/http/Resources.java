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

    static RepositoryName name(String raw) {
        return RepositoryName.parse(raw);
    }
}
