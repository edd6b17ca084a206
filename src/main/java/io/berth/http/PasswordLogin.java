package io.berth.http;

import io.berth.auth.Authenticator;
import io.berth.auth.LoginThrottle;
import io.berth.auth.Principal;
import io.berth.mirror.ClientAddresses;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Password checks behind the login throttle, wherever a password arrives: the token endpoint and
 * Basic credentials sent straight to {@code /v2/} are the same door for a guesser.
 */
final class PasswordLogin {
    private final Authenticator authenticator;
    private final LoginThrottle throttle;
    private final ClientAddresses clients;

    /** @param clients which proxies' {@code X-Forwarded-For} names the caller whose failures count */
    PasswordLogin(Authenticator authenticator, LoginThrottle throttle, ClientAddresses clients) {
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.clients = clients;
    }

    /**
     * The principal the credentials prove, or empty when they prove nothing (a failure counted
     * against the user name and the caller's address). Waits first, at most
     * {@link LoginThrottle#MAX_DELAY}, as long as that pair's recent failures call for; a correct
     * password is never refused.
     */
    Optional<Principal> login(Exchange exchange, String username, String password) {
        InetAddress address = clients.clientOf(exchange.peerAddress(), exchange.headerValues(MirrorRouting.FORWARDED_FOR));
        return throttle.attempt(username, address, () -> authenticator.authenticate(username, password));
    }
}
