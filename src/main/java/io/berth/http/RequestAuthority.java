package io.berth.http;

import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;

/**
 * The host and port a client addressed this server by, for URLs Berth writes back to it (the
 * token realm, the web interface's pull commands). A {@code Host} that is not a plain host and
 * port is not echoed: the address the request arrived at is used instead.
 */
final class RequestAuthority {
    /** A host name, an IPv4 address or a bracketed IPv6 address, with an optional port. */
    private static final Pattern PLAIN_AUTHORITY = Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+])(:[0-9]{1,5})?");

    private RequestAuthority() {
    }

    static String of(Exchange exchange) {
        String authority = exchange.request.getHttpURI().getAuthority();
        if (authority != null && PLAIN_AUTHORITY.matcher(authority).matches()) {
            return authority;
        }
        String local = Request.getLocalAddr(exchange.request);
        boolean bareIpv6 = local.indexOf(':') >= 0 && !local.startsWith("[");
        return (bareIpv6 ? "[" + local + "]" : local) + ":" + Request.getLocalPort(exchange.request);
    }
}
