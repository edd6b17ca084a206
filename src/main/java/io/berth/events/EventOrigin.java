package io.berth.events;

import java.util.Objects;
import java.util.Optional;

/**
 * Who made a change and from where, as far as the layer that made it knows.
 *
 * @param actor         the authenticated name ({@code alice}, {@code robot$ci}), when one was proven
 * @param clientAddress the client's address, when the change came over the network
 */
public record EventOrigin(Optional<String> actor, Optional<String> clientAddress) {
    /** A change whose author and address are unknown (the crawler, a background task). */
    public static final EventOrigin UNKNOWN = new EventOrigin(Optional.empty(), Optional.empty());

    public EventOrigin {
        Objects.requireNonNull(actor);
        Objects.requireNonNull(clientAddress);
    }

    public static EventOrigin actor(String actor) {
        return new EventOrigin(Optional.of(actor), Optional.empty());
    }

    public EventOrigin withClientAddress(String address) {
        return new EventOrigin(actor, Optional.of(address));
    }
}
