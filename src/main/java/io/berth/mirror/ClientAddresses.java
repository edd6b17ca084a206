package io.berth.mirror;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Finds the address of the client behind a request. The socket's peer is the client, unless it is
 * one of the configured trusted proxies: then {@code X-Forwarded-For} says who the proxy served.
 * The header is read from its right end, skipping trusted proxies, so that a client cannot choose its
 * own address by sending the header itself: only an address a trusted proxy appended is believed.
 */
public final class ClientAddresses {
    /**
     * At most this many hops are read, from the right: the ones trusted proxies appended. Entries
     * further left are the client's own words and never decide anything.
     */
    static final int MAX_FORWARDED_HOPS = 32;

    private final List<Netblock> trustedProxies;

    public ClientAddresses(List<Netblock> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    public static ClientAddresses trustingNoProxy() {
        return new ClientAddresses(List.of());
    }

    public boolean trusts(InetAddress address) {
        for (Netblock proxy : trustedProxies) {
            if (proxy.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client's address.
     *
     * @param peer         the address at the other end of the connection
     * @param forwardedFor every {@code X-Forwarded-For} header value of the request, in order
     */
    public InetAddress clientOf(InetAddress peer, List<String> forwardedFor) {
        InetAddress client = Netblock.unmapped(peer);
        if (forwardedFor.isEmpty() || !trusts(client)) {
            return client;
        }
        String[] hops = String.join(",", forwardedFor).split(",");
        int last = Math.max(0, hops.length - MAX_FORWARDED_HOPS);
        for (int i = hops.length - 1; i >= last; i--) {
            Optional<InetAddress> hop = Netblock.literal(withoutPort(hops[i].trim()));
            if (hop.isEmpty()) {
                return client;
            }
            client = hop.get();
            if (!trusts(client)) {
                return client;
            }
        }
        return client;
    }

    /** {@code 192.0.2.1:4711} and {@code [2001:db8::1]:4711} as some proxies write them, without the port. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(0, end + 1);
        }
        int colon = hop.indexOf(':');
        return colon > 0 && hop.indexOf(':', colon + 1) < 0 ? hop.substring(0, colon) : hop;
    }
}
