package io.berth.config;

/** A {@code HOST:PORT} listen address; IPv6 hosts are written in brackets ({@code [::1]:5000}). */
public record ListenAddress(String host, int port) {

    public ListenAddress {
        if (port < 0 || port > 65535) {
            throw new ConfigException("port must be between 0 and 65535: " + port);
        }
        if (host.isEmpty()) {
            throw new ConfigException("listen address needs a host");
        }
    }

    public static ListenAddress parse(String value) {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigException("listen address must be HOST:PORT: " + value);
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new ListenAddress(host, Integer.parseInt(value.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new ConfigException("listen port is not a number: " + value);
        }
    }

    /** The host as it appears in a URL. */
    public String urlHost() {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
