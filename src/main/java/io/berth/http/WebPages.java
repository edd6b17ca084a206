package io.berth.http;

import io.berth.auth.Principal;
import io.berth.mirror.ClientAddresses;
import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.Reference;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.promotion.PromotionService;
import io.berth.registry.Registry;
import io.berth.ui.Browse;
import io.berth.ui.Links;
import io.berth.ui.PageFrame;
import io.berth.ui.Pages;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The web interface ({@link io.berth.ui}): the browse pages, sign-in and sign-out, the mirrors, the
 * overview, and, through {@link WebPromotions}, the candidates, promoting one and the promotion
 * history. Every page shows only what the visitor may pull; a repository it may not pull is
 * answered exactly like one that does not exist. The visitor ({@link WebVisitor}) is who the
 * request's credentials prove, as for the API, or else who its session cookie ({@link WebSession})
 * proves.
 *
 * <p>Only sign-in, sign-out and promoting are {@code POST}s, each a form of at most
 * {@link io.berth.oci.Limits#MAX_TOKEN_FORM_BYTES}. Pages depend on who asks, so none is cached;
 * they load nothing but the stylesheet, and the headers forbid scripts, frames and other origins.
 */
final class WebPages {
    /** No script, no frame, nothing from another origin; forms post only here. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self';"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final String HTML = "text/html; charset=utf-8";
    /**
     * What a page answers as not found: a name, tag or digest that names nothing here, or that is
     * malformed and so cannot name anything (a malformed tag is {@code MANIFEST_INVALID}).
     */
    private static final Set<ErrorCode> NOT_FOUND = EnumSet.of(ErrorCode.NAME_UNKNOWN, ErrorCode.NAME_INVALID,
            ErrorCode.MANIFEST_UNKNOWN, ErrorCode.MANIFEST_INVALID, ErrorCode.DIGEST_INVALID);

    private final Browse browse;
    private final Optional<WebPromotions> promotions;
    private final Optional<io.berth.ui.MirrorBoard> mirrors;
    private final io.berth.ui.StorageSummary storage;
    private final Optional<Administration.GcStatus> gcStatus;
    private final Optional<AuthGate> gate;
    private final Optional<WebSession> sessions;
    private final Optional<PasswordLogin> logins;
    private final ClientAddresses clients;
    private final Pages pages = new Pages();
    private final String version;

    /**
     * @param gate     the API's authorization; empty when authentication is off (everyone may see
     *                 everything, and nobody can sign in or promote from here)
     * @param sessions sign-in sessions, present with {@code gate}
     * @param logins   where passwords are checked, present with {@code gate}
     */
    WebPages(Registry registry, Optional<MirrorRouting> mirrorRouting, Optional<PromotionService> promotionService,
             Optional<PromotionResource> promotionResource, Optional<AuthGate> gate, Optional<WebSession> sessions,
             Optional<PasswordLogin> logins, ClientAddresses clients, Optional<Administration.GcStatus> gcStatus,
             String version) {
        this.browse = new Browse(registry);
        this.storage = new io.berth.ui.StorageSummary(registry.listing(), java.time.Clock.systemUTC());
        this.gcStatus = gcStatus;
        this.mirrors = mirrorRouting.map(routing -> new io.berth.ui.MirrorBoard(routing.sources(), routing.scope(), registry.blobs()));
        this.promotions = promotionService.flatMap(service -> promotionResource.map(resource ->
                new WebPromotions(registry, service, resource, gate, sessions, clients, pages)));
        this.gate = gate;
        this.sessions = sessions;
        this.logins = logins;
        this.clients = clients;
        this.version = version;
    }

    void handle(Exchange exchange, String path, Optional<AuthGate.Caller> requestCaller) {
        if (path.equals(Links.STYLESHEET)) {
            Resources.requireMethod(exchange, "GET", "HEAD");
            exchange.setHeader("Cache-Control", "public, max-age=3600");
            exchange.setHeader("X-Content-Type-Options", "nosniff");
            exchange.send(200, "text/css; charset=utf-8", pages.stylesheet());
            return;
        }
        exchange.setHeader("Cache-Control", "no-store");
        exchange.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        exchange.setHeader("X-Content-Type-Options", "nosniff");
        exchange.setHeader("X-Frame-Options", "DENY");
        exchange.setHeader("Referrer-Policy", "same-origin");
        WebVisitor visitor = visitor(exchange, requestCaller);
        if (visitor.bySession()) {
            exchange.request.setAttribute(AccessLog.PRINCIPAL, AuthGate.actor(visitor.caller().orElseThrow()));
        }
        PageFrame frame = frame(exchange, visitor);
        try {
            if (exchange.method().equals("POST")) {
                post(exchange, path, visitor, frame);
            } else {
                Resources.requireMethod(exchange, "GET", "HEAD");
                exchange.send(200, HTML, get(exchange, path, visitor, frame));
            }
        } catch (RegistryException e) {
            if (NOT_FOUND.contains(e.code())) {
                refuse(exchange, 404, pages.error(frame, "Not found", e.code() == ErrorCode.MANIFEST_UNKNOWN
                        ? "This repository has no such tag or manifest."
                        : "There is no such page or repository, or you may not see it."));
            } else if (e.code() == ErrorCode.DENIED || e.code() == ErrorCode.UNAUTHORIZED) {
                exchange.response.getHeaders().remove("WWW-Authenticate");
                refuse(exchange, 403, pages.error(frame, "Not allowed", e.getMessage()));
            } else {
                throw e;
            }
        }
    }

    /** Answers a refusal; what is left of a form nobody read is read away first, so the connection stays usable. */
    private static void refuse(Exchange exchange, int status, byte[] page) {
        exchange.discardUnreadBody(io.berth.oci.Limits.MAX_DISCARDED_BODY_BYTES);
        exchange.send(status, HTML, page);
    }

    private byte[] get(Exchange exchange, String path, WebVisitor visitor, PageFrame frame) {
        Optional<String> after = exchange.query("last").filter(value -> !value.isEmpty());
        Predicate<RepositoryName> visible = visitor.mayPull(gate);
        if (path.equals(Links.HOME)) {
            return pages.repositories(frame, browse.repositories(exchange.query("q"), after, visible), after.isEmpty());
        }
        if (path.startsWith(Links.REPOSITORIES)) {
            RepositoryName name = RepositoryName.parse(path.substring(Links.REPOSITORIES.length()));
            return pages.repository(frame, browse.tags(name, after, visible), after.isEmpty());
        }
        if (path.startsWith(Links.IMAGES)) {
            return image(frame, path.substring(Links.IMAGES.length()), visible);
        }
        if (path.equals(Links.SIGN_IN) && sessions.isPresent()) {
            return pages.signIn(frame, Optional.empty());
        }
        if (path.equals(Links.PROMOTIONS) && promotions.isPresent()) {
            return promotions.get().candidates(frame, visitor);
        }
        if (path.equals(Links.PROMOTION_HISTORY) && promotions.isPresent()) {
            return promotions.get().history(frame, visitor, exchange.query("before"));
        }
        if (path.equals(Links.MIRRORS) && mirrors.isPresent()) {
            return mirrorPage(exchange, visitor, frame);
        }
        if (path.equals(Links.OVERVIEW)) {
            boolean admin = visitor.isRegistryAdmin(gate);
            return pages.overview(frame, admin, admin ? storage.latest() : Optional.empty(), storage.measuring(),
                    gcStatus.map(Administration.GcStatus::describe).orElse("Garbage collection reports nothing here."));
        }
        throw RegistryException.of(ErrorCode.NAME_UNKNOWN, "no such page");
    }

    /**
     * The mirrors and the CDN; private mirrors, and where a client would be sent, only for registry
     * admins (everyone when authentication is off), as {@code /berth/v1/mirrors} and its choice endpoint.
     */
    private byte[] mirrorPage(Exchange exchange, WebVisitor visitor, PageFrame frame) {
        boolean admin = visitor.isRegistryAdmin(gate);
        Optional<io.berth.ui.MirrorChoice> choice = Optional.empty();
        Optional<String> client = exchange.query("client").filter(value -> !value.isBlank());
        if (admin && client.isPresent()) {
            try {
                choice = Optional.of(mirrors.get().choice(client.get(), exchange.query("repository").orElse(""),
                        exchange.query("digest").orElse("")));
            } catch (RegistryException e) {
                throw RegistryException.of(ErrorCode.NAME_UNKNOWN, "no such blob in that repository");
            }
        }
        return pages.mirrors(frame, mirrors.get().overview(admin), admin, choice);
    }

    private void post(Exchange exchange, String path, WebVisitor visitor, PageFrame frame) {
        if (path.equals(Links.SIGN_IN) && sessions.isPresent()) {
            signIn(exchange, frame);
        } else if (path.equals(Links.SIGN_OUT) && sessions.isPresent()) {
            if (!visitor.bySession()) {
                throw RegistryException.of(ErrorCode.DENIED, "signing out needs a signed-in session");
            }
            sessions.get().requireCsrfToken(exchange, UrlEncodedForm.read(exchange, "the sign-out form"));
            sessions.get().close(exchange);
            redirect(exchange, Links.HOME);
        } else if (path.equals(Links.PROMOTIONS) && promotions.isPresent()) {
            promotions.get().promote(exchange, visitor);
        } else {
            Resources.methodNotAllowed(exchange, "GET, HEAD");
        }
    }

    private void signIn(Exchange exchange, PageFrame frame) {
        WebSession.requireSameOrigin(exchange);
        UrlEncodedForm form = UrlEncodedForm.read(exchange, "the sign-in form");
        Optional<Principal> principal = logins.orElseThrow().login(exchange, form.first("username").orElse(""),
                form.first("password").orElse(""));
        if (principal.isEmpty()) {
            refuse(exchange, 403, pages.signIn(frame, Optional.of("That user name and password do not match.")));
            return;
        }
        sessions.orElseThrow().open(exchange, principal.get());
        redirect(exchange, promotions.isPresent() ? Links.PROMOTIONS : Links.HOME);
    }

    private WebVisitor visitor(Exchange exchange, Optional<AuthGate.Caller> requestCaller) {
        boolean credentialsSent = exchange.header("Authorization").isPresent();
        if (gate.isEmpty() || credentialsSent || sessions.isEmpty()) {
            return new WebVisitor(requestCaller, false);
        }
        return sessions.get().principal(exchange)
                .map(principal -> new WebVisitor(Optional.of(new AuthGate.Caller(principal, Optional.empty())), true))
                .orElse(new WebVisitor(requestCaller, false));
    }

    private PageFrame frame(Exchange exchange, WebVisitor visitor) {
        Optional<String> user = visitor.signedIn() ? visitor.caller().map(AuthGate::actor) : Optional.empty();
        Optional<String> csrf = visitor.bySession() ? sessions.orElseThrow().csrfToken(exchange) : Optional.empty();
        return new PageFrame(RequestAuthority.of(exchange), version, user, csrf, sessions.isPresent());
    }

    private byte[] image(PageFrame frame, String reference, Predicate<RepositoryName> visible) {
        int at = reference.indexOf('@');
        int colon = reference.lastIndexOf(':');
        Reference parsed;
        String name;
        if (at > 0) {
            name = reference.substring(0, at);
            parsed = Digest.parse(reference.substring(at + 1));
        } else if (colon > 0) {
            name = reference.substring(0, colon);
            parsed = Tag.parse(reference.substring(colon + 1));
        } else {
            throw RegistryException.of(ErrorCode.NAME_UNKNOWN, "no such page");
        }
        return pages.image(frame, browse.image(RepositoryName.parse(name), parsed, visible));
    }

    /** 303: the browser follows with a {@code GET}, so reloading the page never sends the form again. */
    static void redirect(Exchange exchange, String location) {
        exchange.setHeader("Location", location);
        exchange.send(303);
    }
}
