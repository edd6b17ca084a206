package io.berth.http;

import io.berth.audit.LoginAudit;
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
    private final Optional<LoginAudit> audit;

    /**
     * @param clients which proxies' {@code X-Forwarded-For} names the caller whose failures count
     * @param audit   where each outcome is audited
     */
    PasswordLogin(Authenticator authenticator, LoginThrottle throttle, ClientAddresses clients, Optional<LoginAudit> audit) {
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.clients = clients;
        this.audit = audit;
    }

    /**
     * The principal the credentials prove, or empty when they prove nothing (a failure counted
     * against the user name and the caller's address). Waits first, at most
     * {@link LoginThrottle#MAX_DELAY}, as long as that pair's recent failures call for; a correct
     * password is never refused.
     */
    Optional<Principal> login(Exchange exchange, String username, String password) {
        InetAddress address = clients.clientOf(exchange.peerAddress(), exchange.headerValues(MirrorRouting.FORWARDED_FOR));
        Optional<Principal> principal = throttle.attempt(username, address, () -> authenticator.authenticate(username, password));
        audit.ifPresent(logins -> {
            if (principal.isPresent()) {
                logins.succeeded(username, address.getHostAddress());
            } else {
                logins.failed(username, address.getHostAddress());
            }
        });
        return principal;
    }
}
