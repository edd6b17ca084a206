package io.berth.http;

import io.berth.auth.Authenticator;
import io.berth.auth.LoginThrottle;
import io.berth.auth.Principal;
import io.berth.mirror.ClientAddresses;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import java.time.Duration;
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
     * against the user name and the caller's address).
     *
     * @throws RegistryException {@code TOOMANYREQUESTS} (429, {@code Retry-After} set) while throttled
     */
    Optional<Principal> login(Exchange exchange, String username, String password) {
        String address = clients.clientOf(exchange.peerAddress(), exchange.headerValues(MirrorRouting.FORWARDED_FOR))
                .getHostAddress();
        Optional<Duration> wait = throttle.retryAfter(username, address);
        if (wait.isPresent()) {
            exchange.setHeader("Retry-After", String.valueOf(Math.max(1, wait.get().toSeconds())));
            throw RegistryException.of(ErrorCode.TOOMANYREQUESTS, "too many failed logins; retry later");
        }
        Optional<Principal> principal = authenticator.authenticate(username, password);
        if (principal.isEmpty()) {
            throttle.failed(username, address);
        } else {
            throttle.succeeded(username, address);
        }
        return principal;
    }
}
