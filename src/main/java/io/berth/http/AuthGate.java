package io.berth.http;

import io.berth.auth.AccessController;
import io.berth.auth.AccessToken;
import io.berth.auth.Action;
import io.berth.auth.Authenticator;
import io.berth.auth.InvalidTokenException;
import io.berth.auth.Principal;
import io.berth.auth.Scope;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, before any resource runs, whether a request may proceed (Docker token authentication,
 * {@code specs/docker/token.md}). A request may carry a bearer token, Basic credentials, or
 * nothing (anonymous). Failures are 401 {@code UNAUTHORIZED} with a {@code WWW-Authenticate}
 * challenge naming the scope needed, when better credentials could help; and 403 {@code DENIED}
 * when the caller is known and the policy refuses. Basic credentials pass the login throttle,
 * which may slow them down but never refuses a correct password.
 */
final class AuthGate {
    private final AccessController access;
    private final PasswordLogin logins;
    private final Optional<String> configuredRealm;
    private final String service;

    AuthGate(AccessController access, PasswordLogin logins, Optional<String> configuredRealm, String service) {
        this.access = access;
        this.logins = logins;
        this.configuredRealm = configuredRealm;
        this.service = service;
    }

    /** Who is calling, as far as this request proved it. */
    record Caller(Principal principal, Optional<AccessToken> token) {
    }

    /**
     * Checks the request against what {@code route} needs.
     *
     * @return the caller, for resources that filter by permission (the catalog)
     * @throws RegistryException {@code UNAUTHORIZED} (401, challenge set) or {@code DENIED} (403)
     */
    Caller check(Exchange exchange, Route route) {
        Caller caller = identify(exchange);
        Map<String, Set<Action>> required = required(exchange, route);
        if (route instanceof Route.Base && caller.principal() instanceof Principal.Anonymous && caller.token().isEmpty()) {
            throw challenge(exchange, List.of(), Optional.empty(), "authentication required");
        }
        if (route instanceof Route.Catalog && caller.token().isPresent() && !caller.token().get().grantsCatalog()) {
            throw challenge(exchange, List.of(Scope.catalog()), Optional.of("insufficient_scope"), "token lacks catalog access");
        }
        List<Scope> missing = new ArrayList<>();
        boolean policyWouldAllow = true;
        for (Map.Entry<String, Set<Action>> entry : required.entrySet()) {
            Set<Action> permitted = access.policy().permitted(caller.principal(), entry.getKey());
            Set<Action> lacking = EnumSet.noneOf(Action.class);
            for (Action action : entry.getValue()) {
                boolean granted = caller.token().map(token -> token.grants(entry.getKey(), action))
                        .orElseGet(() -> permitted.contains(action));
                if (!granted) {
                    lacking.add(action);
                    policyWouldAllow &= permitted.contains(action);
                }
            }
            if (!lacking.isEmpty()) {
                missing.add(Scope.repository(entry.getKey(), entry.getValue()));
            }
        }
        if (missing.isEmpty()) {
            return caller;
        }
        boolean anonymous = caller.principal() instanceof Principal.Anonymous;
        if (anonymous || (caller.token().isPresent() && policyWouldAllow)) {
            throw challenge(exchange, missing, caller.token().map(token -> "insufficient_scope"),
                    "access to " + describe(missing) + " requires " + (anonymous ? "authentication" : "a token with that scope"));
        }
        throw RegistryException.withDetail(ErrorCode.DENIED, "requested access to the resource is denied",
                missing.stream().map(Scope::toString).toList());
    }

    /** Whether the caller administers the whole registry ({@link io.berth.auth.Policy#isRegistryAdmin}). */
    boolean isRegistryAdmin(Caller caller) {
        // The policy speaks of Berth's own users and robots: a token from an external issuer, which
        // vouches only for the repositories its access claim names, never makes a registry admin.
        if (caller.token().isPresent() && !access.isOwnIssuer(caller.token().get().issuer())) {
            return false;
        }
        return access.policy().isRegistryAdmin(caller.principal());
    }

    /**
     * Lets only registry admins on: anonymous callers get a 401 challenge, others 403 {@code DENIED}.
     */
    void requireRegistryAdmin(Exchange exchange, Caller caller) {
        if (isRegistryAdmin(caller)) {
            return;
        }
        if (caller.principal() instanceof Principal.Anonymous) {
            throw challenge(exchange, List.of(), Optional.empty(), "this endpoint is for registry administrators");
        }
        throw RegistryException.of(ErrorCode.DENIED, "this endpoint is for registry administrators");
    }

    /**
     * Lets only registry admins and the callers named in {@code readers} (a user, {@code robot$NAME})
     * on: anonymous callers get a 401 challenge, others 403 {@code DENIED}.
     */
    void requireMetricsReader(Exchange exchange, Caller caller, java.util.Set<String> readers) {
        if (isRegistryAdmin(caller)
                || !(caller.principal() instanceof Principal.Anonymous) && readers.contains(actor(caller))) {
            return;
        }
        if (caller.principal() instanceof Principal.Anonymous) {
            throw challenge(exchange, List.of(), Optional.empty(), "the metrics are for registry administrators and metrics readers");
        }
        throw RegistryException.of(ErrorCode.DENIED, "the metrics are for registry administrators and metrics readers");
    }

    /**
     * Lets on any caller who proved who they are (a user, a robot, or an external issuer's token);
     * anonymous callers get a 401 challenge.
     */
    void requireAuthenticated(Exchange exchange, Caller caller) {
        if (caller.principal() instanceof Principal.Anonymous) {
            throw challenge(exchange, List.of(), Optional.empty(), "this endpoint is for authenticated callers");
        }
    }

    /**
     * Whether the caller may do {@code action} on {@code repository}: what its bearer token grants,
     * when it sent one (as for every {@code /v2/} request), else what the policy allows it.
     */
    boolean allows(Caller caller, String repository, Action action) {
        if (caller.token().isPresent()) {
            return caller.token().get().grants(repository, action);
        }
        return access.policy().allows(caller.principal(), repository, action);
    }

    /** Lets the request on only when the policy allows {@code action} on every one of {@code repositories}. */
    void requireAllowed(Exchange exchange, Caller caller, Action action, List<String> repositories) {
        List<Scope> missing = repositories.stream().filter(name -> !allows(caller, name, action))
                .map(name -> Scope.repository(name, java.util.EnumSet.of(action))).toList();
        if (missing.isEmpty()) {
            return;
        }
        if (caller.principal() instanceof Principal.Anonymous) {
            throw challenge(exchange, missing, Optional.empty(), "access to " + describe(missing) + " requires authentication");
        }
        if (caller.token().isPresent()) {
            throw challenge(exchange, missing, Optional.of("insufficient_scope"),
                    "access to " + describe(missing) + " requires a token with that scope");
        }
        throw RegistryException.withDetail(ErrorCode.DENIED, "requested access to the resource is denied",
                missing.stream().map(Scope::toString).toList());
    }

    /**
     * Refuses, before a body naming the repositories is read, a caller that may do {@code action} on
     * no repository at all: neither its token grants it anywhere, nor (without a token, or with one
     * of Berth's own) a policy rule grants it to the caller. Anonymous callers get a 401 challenge
     * (without a scope: the repositories are in the unread body), others 403 {@code DENIED}, or a
     * 401 challenge for a token of another issuer. Callers that pass are checked again, by
     * {@link #requireAllowed}, on the repositories the body names.
     */
    void requireAllowedSomewhere(Exchange exchange, Caller caller, Action action) {
        boolean tokenGrantsSomewhere = caller.token().map(token -> token.access().stream()
                .anyMatch(scope -> scope.isRepository() && Action.expand(scope.actions()).contains(action))).orElse(false);
        boolean policyApplies = caller.token().map(token -> access.isOwnIssuer(token.issuer())).orElse(true);
        boolean policyGrantsSomewhere = policyApplies && access.policy().rules().stream()
                .anyMatch(rule -> rule.appliesTo(caller.principal()) && Action.expand(rule.actions()).contains(action));
        if (tokenGrantsSomewhere || policyGrantsSomewhere) {
            return;
        }
        String message = action.name().toLowerCase(java.util.Locale.ROOT) + " is granted on no repository";
        if (caller.principal() instanceof Principal.Anonymous) {
            throw challenge(exchange, List.of(), Optional.empty(), message + " without authentication");
        }
        if (!policyApplies) {
            throw challenge(exchange, List.of(), Optional.of("insufficient_scope"), message + " by this token");
        }
        throw RegistryException.of(ErrorCode.DENIED, message + " to " + actor(caller));
    }

    /**
     * The caller's name for the audit trail: the user, {@code robot$NAME}, {@code anonymous}, or
     * {@code SUBJECT@ISSUER} for an external issuer's token.
     */
    static String actor(Caller caller) {
        if (caller.principal() instanceof Principal.External external) {
            return external.qualifiedName();
        }
        String subject = caller.principal().subject();
        return subject.isEmpty() ? "anonymous" : subject;
    }

    /** The caller the request's credentials prove; bad credentials are a 401 here and now. */
    private Caller identify(Exchange exchange) {
        Optional<String> header = exchange.header("Authorization");
        if (header.isEmpty()) {
            return new Caller(new Principal.Anonymous(), Optional.empty());
        }
        String value = header.get().trim();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        String credential = space < 0 ? "" : value.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            try {
                AccessToken token = access.tokens().verify(credential);
                if (token.refresh()) {
                    throw new InvalidTokenException("a refresh token is not an access token");
                }
                Principal principal = access.isOwnIssuer(token.issuer())
                        ? access.authenticator().principalFor(token)
                                .orElseThrow(() -> new InvalidTokenException("the token's subject no longer exists"))
                        // A trusted external issuer's token is judged by its access claim alone: it is
                        // never the local user or robot whose name its sub happens to be.
                        : new Principal.External(token.issuer(), token.subject());
                return new Caller(principal, Optional.of(token));
            } catch (InvalidTokenException e) {
                throw challenge(exchange, List.of(), Optional.of("invalid_token"), e.getMessage());
            }
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            Optional<Principal> principal = Authenticator.decodeBasic(credential)
                    .flatMap(pair -> logins.login(exchange, pair[0], pair[1]));
            if (principal.isEmpty()) {
                throw challenge(exchange, List.of(), Optional.empty(), "invalid user name or password");
            }
            return new Caller(principal.get(), Optional.empty());
        }
        // The header's value is a credential, whatever its scheme: it is never echoed.
        throw challenge(exchange, List.of(), Optional.empty(), "unsupported authorization scheme");
    }

    /** Repository → actions this request needs (OCI operations mapped to token actions). */
    private static Map<String, Set<Action>> required(Exchange exchange, Route route) {
        Map<String, Set<Action>> required = new LinkedHashMap<>();
        String method = exchange.method();
        boolean reading = method.equals("GET") || method.equals("HEAD");
        switch (route) {
            case Route.Tags tags -> required.put(validName(tags.name()), EnumSet.of(Action.PULL));
            case Route.Referrers referrers -> required.put(validName(referrers.name()), EnumSet.of(Action.PULL));
            case Route.Manifest manifest -> required.put(validName(manifest.name()), EnumSet.of(
                    reading ? Action.PULL : method.equals("DELETE") ? Action.DELETE : Action.PUSH));
            case Route.Blob blob ->
                    required.put(validName(blob.name()), EnumSet.of(method.equals("DELETE") ? Action.DELETE : Action.PULL));
            case Route.UploadStart start -> {
                required.put(validName(start.name()), EnumSet.of(Action.PUSH));
                exchange.query("from").filter(from -> exchange.query("mount").isPresent())
                        .ifPresent(from -> required.merge(validName(from), EnumSet.of(Action.PULL), (a, b) -> {
                            Set<Action> both = EnumSet.copyOf(a);
                            both.addAll(b);
                            return both;
                        }));
            }
            case Route.Upload upload -> required.put(validName(upload.name()), EnumSet.of(Action.PUSH));
            case Route.Base base -> {
            }
            case Route.Catalog catalog -> {
            }
            case Route.Token token -> {
            }
            case Route.Health health -> {
            }
            case Route.Mirrors mirrors -> {
            }
            case Route.MirrorChoice choice -> {
            }
            case Route.MirrorCrawl crawl -> {
            }
            case Route.Promotions promotions -> {
            }
            case Route.Maintenance maintenance -> {
            }
            case Route.Quotas quotas -> {
            }
            case Route.Metrics metrics -> {
            }
            case Route.Robots robots -> {
            }
            case Route.Robot robot -> {
            }
            case Route.Audit audit -> {
            }
            case Route.Gc gc -> {
            }
            case Route.WebPage page -> {
            }
            case Route.NotFound notFound -> {
            }
        }
        return required;
    }

    /**
     * A repository name the request names, validated before anything is built from it: a name that
     * is not a repository name (a quote, a comma, CR or LF among them) is 400 {@code NAME_INVALID},
     * and never reaches a challenge.
     */
    private static String validName(String raw) {
        return RepositoryName.parse(raw).value();
    }

    private RegistryException challenge(Exchange exchange, List<Scope> scopes, Optional<String> error, String message) {
        StringBuilder header = new StringBuilder("Bearer realm=").append(quoted(realm(exchange)))
                .append(",service=").append(quoted(service));
        if (!scopes.isEmpty()) {
            header.append(",scope=").append(quoted(String.join(" ", scopes.stream().map(Scope::toString).toList())));
        }
        error.ifPresent(code -> header.append(",error=").append(quoted(code)));
        exchange.setHeader("WWW-Authenticate", header.toString());
        return RegistryException.withDetail(ErrorCode.UNAUTHORIZED, message,
                scopes.stream().map(Scope::toString).toList());
    }

    /**
     * A challenge parameter's value as a quoted string (RFC 9110 section 5.6.4). Every value here is
     * validated before (repository names, scopes, the configured service and realm, a host the HTTP
     * parser accepted); one that could still end the string or the header is a bug, not input to pass on.
     */
    private static String quoted(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) {
                throw new IllegalStateException("a challenge parameter may not contain quotes, backslashes or control characters");
            }
        }
        return '"' + value + '"';
    }

    /**
     * The configured realm, else this server's token URL as the client addressed it
     * ({@link RequestAuthority}).
     */
    private String realm(Exchange exchange) {
        return configuredRealm.orElseGet(() -> exchange.request.getHttpURI().getScheme() + "://"
                + RequestAuthority.of(exchange) + Routes.TOKEN);
    }

    private static String describe(List<Scope> scopes) {
        return String.join(" ", scopes.stream().map(Scope::toString).toList());
    }

    /**
     * Whether listings (the catalog, the promotion audit trail) may show {@code repository} to the
     * caller: what the policy lets Berth's own users, robots and anonymous callers pull (their
     * tokens are only proof of who they are there), and for an external issuer's token exactly what
     * its {@code access} claim grants.
     */
    boolean mayPull(Caller caller, String repository) {
        if (caller.principal() instanceof Principal.External) {
            return caller.token().map(token -> token.grants(repository, Action.PULL)).orElse(false);
        }
        return access.policy().allows(caller.principal(), repository, Action.PULL);
    }
}
