package io.berth.mirror;

import java.net.InetAddress;

/**
 * Places a client's address on the map that mirror selection narrows down: autonomous system,
 * country, continent. Implementations are safe to call from many threads at once.
 */
public interface Geolocator extends AutoCloseable {
    /**
     * Where {@code address} is. An address the databases do not know is not an error: the fields
     * they cannot fill are empty, and the answer is never less than {@link ClientLocation#unknown}.
     */
    ClientLocation locate(InetAddress address);

    /** Releases the databases; {@link #locate} must not be called afterwards. */
    @Override
    void close();

    /** A geolocator without databases: every address is {@link ClientLocation#unknown unknown}. */
    static Geolocator none() {
        return new Geolocator() {
            @Override
            public ClientLocation locate(InetAddress address) {
                return ClientLocation.unknown(address);
            }

            @Override
            public void close() {
            }

            @Override
            public String toString() {
                return "Geolocator.none()";
            }
        };
    }
}
