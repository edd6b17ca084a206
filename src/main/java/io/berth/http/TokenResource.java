package io.berth.http;

import io.berth.auth.AccessController;
import io.berth.auth.AccessToken;
import io.berth.auth.Authenticator;
import io.berth.auth.InvalidTokenException;
import io.berth.auth.Principal;
import io.berth.auth.Scope;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /auth/token}: the token endpoint of Docker's token protocol. {@code GET} with optional
 * Basic credentials ({@code specs/docker/token.md}) and {@code POST} with an OAuth2 form, grant
 * types {@code password} and {@code refresh_token} ({@code specs/docker/oauth.md}). Without
 * credentials the token is anonymous and grants what the policy gives anonymous callers.
 */
final class TokenResource {
    private final AccessController access;
    private final PasswordLogin logins;
    private final String service;

    TokenResource(AccessController access, PasswordLogin logins, String service) {
        this.access = access;
        this.logins = logins;
        this.service = service;
    }

    void handle(Exchange exchange) {
        // A refused login here is answered with a Basic challenge (RFC 9110 section 11.6.1).
        exchange.setHeader("WWW-Authenticate", "Basic realm=\"" + service + "\", charset=\"UTF-8\"");
        switch (exchange.method()) {
            case "GET" -> get(exchange);
            case "POST" -> post(exchange);
            default -> Resources.methodNotAllowed(exchange, "GET, POST");
        }
    }

    private void get(Exchange exchange) {
        checkService(exchange.query("service"));
        List<Scope> scopes = Scope.parseAll(exchange.queryValues("scope"));
        Principal principal = new Principal.Anonymous();
        Optional<String> header = exchange.header("Authorization");
        if (header.isPresent() && header.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] credentials = Authenticator.decodeBasic(header.get().substring(6))
                    .orElseThrow(() -> RegistryException.of(ErrorCode.UNAUTHORIZED, "malformed Basic credentials"));
            principal = login(exchange, credentials[0], credentials[1]);
        }
        boolean offline = exchange.query("offline_token").map("true"::equalsIgnoreCase).orElse(false);
        respond(exchange, principal, scopes, offline);
    }

    private void post(Exchange exchange) {
        UrlEncodedForm form = UrlEncodedForm.read(exchange, "a token request form");
        checkService(form.first("service"));
        List<Scope> scopes = Scope.parseAll(form.all("scope"));
        String grantType = form.first("grant_type").orElse("");
        Principal principal = switch (grantType) {
            case "password" -> login(exchange, form.first("username").orElse(""), form.first("password").orElse(""));
            case "refresh_token" -> refresh(form.first("refresh_token").orElse(""));
            default -> throw RegistryException.withStatus(ErrorCode.UNSUPPORTED, 400,
                    "grant_type must be password or refresh_token");
        };
        boolean offline = form.first("access_type").map("offline"::equals).orElse(false);
        respond(exchange, principal, scopes, offline || grantType.equals("password"));
    }

    private Principal login(Exchange exchange, String username, String password) {
        return logins.login(exchange, username, password)
                .orElseThrow(() -> RegistryException.of(ErrorCode.UNAUTHORIZED, "invalid user name or password"));
    }

    private Principal refresh(String refreshToken) {
        try {
            AccessToken token = access.tokens().verify(refreshToken);
            if (!token.refresh()) {
                throw new InvalidTokenException("not a refresh token");
            }
            return access.authenticator().principalFor(token)
                    .orElseThrow(() -> new InvalidTokenException("the token's subject no longer exists"));
        } catch (InvalidTokenException e) {
            throw RegistryException.of(ErrorCode.UNAUTHORIZED, "invalid refresh token: " + e.getMessage());
        }
    }

    private void respond(Exchange exchange, Principal principal, List<Scope> scopes, boolean withRefresh) {
        exchange.response.getHeaders().remove("WWW-Authenticate");
        AccessController.IssuedToken issued = access.issue(principal, scopes, withRefresh);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", issued.token());
        body.put("access_token", issued.token());
        body.put("expires_in", issued.expiresIn().toSeconds());
        body.put("issued_at", issued.issuedAt().toString());
        issued.refreshToken().ifPresent(token -> body.put("refresh_token", token));
        // OAuth2 responses must say what was granted (specs/docker/oauth.md, "Response fields": scope is REQUIRED).
        body.put("scope", String.join(" ", issued.granted().stream()
                .filter(scope -> !scope.actions().isEmpty()).map(Scope::toString).toList()));
        exchange.setHeader("Cache-Control", "no-store");
        exchange.sendJson(200, body);
    }

    private void checkService(Optional<String> requested) {
        if (requested.isPresent() && !requested.get().equals(service)) {
            throw RegistryException.withStatus(ErrorCode.UNSUPPORTED, 400, "this token endpoint serves " + service);
        }
    }
}
