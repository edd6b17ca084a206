package io.berth.http;

import io.berth.auth.Authenticator;
import io.berth.auth.LoginThrottle;
import io.berth.auth.Principal;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.server.Request;

/**
 * Password checks behind the login throttle, wherever a password arrives: the token endpoint and
 * Basic credentials sent straight to {@code /v2/} are the same door for a guesser.
 */
final class PasswordLogin {
    private final Authenticator authenticator;
    private final LoginThrottle throttle;

    PasswordLogin(Authenticator authenticator, LoginThrottle throttle) {
        this.authenticator = authenticator;
        this.throttle = throttle;
    }

    /**
     * The principal the credentials prove, or empty when they prove nothing (a failure counted
     * against the user name and the caller's address).
     *
     * @throws RegistryException {@code TOOMANYREQUESTS} (429, {@code Retry-After} set) while throttled
     */
    Optional<Principal> login(Exchange exchange, String username, String password) {
        String address = Request.getRemoteAddr(exchange.request);
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
