package io.berth.http;

import io.berth.auth.AccessController;
import io.berth.auth.AccessToken;
import io.berth.auth.InvalidTokenException;
import io.berth.auth.Principal;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;

/**
 * The web interface's sign-in: a cookie holding a refresh token of Berth's own issuer, valid for
 * {@link #LIFETIME}, that proves who signed in and grants nothing by itself; every page asks the
 * policy what that user may do, as for Basic credentials. The cookie is {@code HttpOnly} and
 * {@code SameSite=Strict} ({@code Secure} over HTTPS), any node sharing the signing keys accepts it,
 * and a user removed from the password file, or a robot revoked, is signed out at its next request.
 *
 * <p>Forms that change something carry a CSRF token derived from the cookie by a hash, which a page
 * of another origin can neither read nor compute; a request whose {@code Origin} is another origin
 * is refused as well.
 */
final class WebSession {
    static final String COOKIE = "berth_session";
    static final Duration LIFETIME = Duration.ofHours(12);
    static final String CSRF_FIELD = "csrf";

    private final AccessController access;

    WebSession(AccessController access) {
        this.access = access;
    }

    /** Who the request's session cookie proves, when it holds a valid session of a principal that still exists. */
    Optional<Principal> principal(Exchange exchange) {
        return cookie(exchange).flatMap(value -> {
            try {
                AccessToken token = access.tokens().verify(value);
                if (!token.refresh() || !access.isOwnIssuer(token.issuer())) {
                    return Optional.empty();
                }
                return access.authenticator().principalFor(token)
                        .filter(principal -> !(principal instanceof Principal.Anonymous));
            } catch (InvalidTokenException e) {
                return Optional.empty();
            }
        });
    }

    /** The CSRF token of the request's session, or empty without a session cookie. */
    Optional<String> csrfToken(Exchange exchange) {
        return cookie(exchange).map(WebSession::csrfTokenOf);
    }

    /** Signs {@code principal} in: sets the cookie. */
    void open(Exchange exchange, Principal principal) {
        String token = access.tokens().issueRefresh(principal, access.clock().instant(), LIFETIME);
        exchange.addHeader("Set-Cookie", COOKIE + "=" + token + "; Path=/; Max-Age=" + LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict" + (exchange.request.isSecure() ? "; Secure" : ""));
    }

    /** Signs out: the browser forgets the cookie. */
    void close(Exchange exchange) {
        exchange.addHeader("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (exchange.request.isSecure() ? "; Secure" : ""));
    }

    /**
     * Refuses, with 403 {@code DENIED}, a form whose CSRF token is not the one of the request's
     * session, or that a page of another origin sent.
     */
    void requireCsrfToken(Exchange exchange, UrlEncodedForm form) {
        requireSameOrigin(exchange);
        Optional<String> expected = csrfToken(exchange);
        Optional<String> sent = form.first(CSRF_FIELD);
        if (expected.isEmpty() || sent.isEmpty() || !MessageDigest.isEqual(expected.get().getBytes(StandardCharsets.US_ASCII),
                sent.get().getBytes(StandardCharsets.UTF_8))) {
            throw RegistryException.of(ErrorCode.DENIED, "the form's CSRF token is not the one of this session; reload the page");
        }
    }

    /**
     * Refuses, with 403 {@code DENIED}, a request a browser sent from a page of another origin
     * ({@code Origin}, RFC 6454); requests without the header (not from a browser's form) pass.
     */
    static void requireSameOrigin(Exchange exchange) {
        Optional<String> origin = exchange.header("Origin");
        if (origin.isEmpty()) {
            return;
        }
        String own = exchange.request.getHttpURI().getScheme() + "://" + RequestAuthority.of(exchange);
        if (!origin.get().equals(own)) {
            throw RegistryException.of(ErrorCode.DENIED, "a form of another origin may not be sent here");
        }
    }

    private static Optional<String> cookie(Exchange exchange) {
        for (HttpCookie cookie : Request.getCookies(exchange.request)) {
            if (cookie.getName().equals(COOKIE) && !cookie.getValue().isEmpty()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    private static String csrfTokenOf(String session) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(("berth-csrf:" + session).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
