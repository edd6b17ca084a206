package io.berth.http;

import io.berth.auth.AccessController;
import io.berth.auth.Action;
import io.berth.auth.LoginThrottle;
import io.berth.metadata.MetadataException;
import io.berth.mirror.ClientAddresses;
import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.Limits;
import io.berth.oci.Reference;
import io.berth.oci.RegistryException;
import io.berth.promotion.PromotionService;
import io.berth.registry.MaintenanceMode;
import io.berth.registry.Registry;
import io.berth.registry.StorageFailure;
import io.berth.registry.UploadService;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The registry API under {@code /v2/}: matches the route, hands the exchange to its resource, and
 * renders every failure as the spec's JSON error body.
 */
public final class RegistryHandler extends Handler.Abstract {
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final BlobResource blobs;
    private final UploadResource uploads;
    private final ManifestResource manifests;
    private final ListingResource listing;
    private final HealthResource healthResource;
    private final MaintenanceMode maintenance;
    private final MaintenanceResource maintenanceResource;
    private final QuotaResource quotas;
    private final Optional<AuthGate> gate;
    private final Optional<TokenResource> tokens;
    private final MirrorResource mirrors;
    private final Optional<PromotionResource> promotions;
    private final BodyBudget bodies;
    private final HttpObserver observer;
    private final MetricsResource metrics;
    private final AdministrationEndpoints administration;
    private final ClientAddresses clients;
    private final WebPages webPages;
    /** What one request streaming blob bytes into staging holds ({@link UploadService#appendBufferBytes()}). */
    private final int uploadBufferBytes;

    /** A registry open to every caller, with no budget for request bodies. */
    public RegistryHandler(Registry registry, ByteBufferPool bufferPool) {
        this(registry, bufferPool, Optional.empty(), Optional.empty(), Optional.empty(), BodyLimits.UNBOUNDED);
    }

    /**
     * A registry that authorizes every request with {@code access} (when present) and serves the
     * token endpoint.
     *
     * @param auth          authentication settings; without them every request is allowed
     * @param mirrorRouting mirror and CDN redirects for blob downloads, and the mirror endpoints
     * @param promotionService candidate to stable promotion, for the promotion endpoints
     * @param bodyLimits    how much heap request bodies may take at once, and how long a request waits for room
     */
    public RegistryHandler(Registry registry, ByteBufferPool bufferPool, Optional<AuthSettings> auth,
                           Optional<MirrorRouting> mirrorRouting, Optional<PromotionService> promotionService,
                           BodyLimits bodyLimits) {
        this(registry, bufferPool, auth, mirrorRouting, promotionService, bodyLimits, HttpObserver.NONE, Optional.empty(),
                java.util.Set.of());
    }

    /**
     * A registry as above whose requests are reported to {@code observer}, serving its metrics at
     * {@code /metrics} when {@code metricsPage} is present.
     *
     * @param observer       told how each request ended (route name, method, status, duration, bytes)
     * @param metricsPage    the metrics to serve at {@code /metrics}; empty for a 404 there
     * @param metricsReaders users and robots ({@code robot$NAME}) besides registry admins who may read them
     */
    public RegistryHandler(Registry registry, ByteBufferPool bufferPool, Optional<AuthSettings> auth,
                           Optional<MirrorRouting> mirrorRouting, Optional<PromotionService> promotionService,
                           BodyLimits bodyLimits, HttpObserver observer,
                           Optional<MetricsHandler.MetricsPage> metricsPage, java.util.Set<String> metricsReaders) {
        this(registry, bufferPool, auth, mirrorRouting, promotionService, bodyLimits, observer, metricsPage, metricsReaders,
                Optional.empty());
    }

    /**
     * A registry as above that also serves the administrative endpoints ({@code /berth/v1/robots},
     * {@code /berth/v1/audit}, {@code /berth/v1/gc}) over {@code administration}; without it they answer 404.
     */
    public RegistryHandler(Registry registry, ByteBufferPool bufferPool, Optional<AuthSettings> auth,
                           Optional<MirrorRouting> mirrorRouting, Optional<PromotionService> promotionService,
                           BodyLimits bodyLimits, HttpObserver observer,
                           Optional<MetricsHandler.MetricsPage> metricsPage, java.util.Set<String> metricsReaders,
                           Optional<Administration> administration) {
        this(registry, bufferPool, auth, mirrorRouting, promotionService, bodyLimits, observer, metricsPage, metricsReaders,
                administration, "development build");
    }

    /**
     * A registry as above whose web interface ({@code /} and {@code /ui/}) names {@code version}
     * in its footer.
     */
    public RegistryHandler(Registry registry, ByteBufferPool bufferPool, Optional<AuthSettings> auth,
                           Optional<MirrorRouting> mirrorRouting, Optional<PromotionService> promotionService,
                           BodyLimits bodyLimits, HttpObserver observer,
                           Optional<MetricsHandler.MetricsPage> metricsPage, java.util.Set<String> metricsReaders,
                           Optional<Administration> administration, String version) {
        this.observer = observer;
        this.metrics = new MetricsResource(metricsPage.map(page -> new MetricsResource.Access(page, metricsReaders)));
        this.bodies = new BodyBudget(bodyLimits.budgetBytes(), bodyLimits.maximumWait());
        this.uploadBufferBytes = registry.uploads().appendBufferBytes();
        PublicContent publicContent = auth.map(settings -> PublicContent.pulledAnonymouslyUnder(settings.access()))
                .orElse(PublicContent.EVERYTHING);
        this.blobs = new BlobResource(registry.blobs(), mirrorRouting, publicContent, bufferPool, observer);
        this.mirrors = new MirrorResource(mirrorRouting, registry.blobs());
        this.promotions = promotionService.map(service -> new PromotionResource(service, observer));
        this.uploads = new UploadResource(registry.uploads(), registry.blobs(), auth.isPresent());
        ClientAddresses clients = mirrorRouting.map(MirrorRouting::clients).orElseGet(ClientAddresses::trustingNoProxy);
        this.clients = clients;
        this.manifests = new ManifestResource(registry.manifests(), publicContent, clients);
        this.listing = new ListingResource(registry.listing());
        this.healthResource = new HealthResource(registry.health(), registry.maintenance());
        this.maintenance = registry.maintenance();
        this.maintenanceResource = new MaintenanceResource(registry.maintenance());
        this.quotas = new QuotaResource(registry.listing());
        this.gate = auth.map(settings -> new AuthGate(settings.access(), passwordLogin(settings, clients), settings.realm(),
                settings.service()));
        this.administration = new AdministrationEndpoints(administration, gate, clients);
        this.tokens = auth.map(settings -> new TokenResource(settings.access(), passwordLogin(settings, clients),
                settings.service()));
        this.webPages = new WebPages(registry, mirrorRouting, promotionService, promotions, gate,
                auth.map(settings -> new WebSession(settings.access())),
                auth.map(settings -> passwordLogin(settings, clients)), clients, administration.map(Administration::gcStatus),
                version);
    }

    /** One throttle, and one audit of logins, for every way a password arrives. */
    private static PasswordLogin passwordLogin(AuthSettings settings, ClientAddresses clients) {
        return new PasswordLogin(settings.access().authenticator(), settings.throttle(), clients, settings.logins());
    }

    /**
     * The budget of heap for request bodies being read ({@link BodyBudget}).
     *
     * @param budgetBytes the bytes all requests reading a body may hold at once
     * @param maximumWait how long a request waits for room before it is answered 503
     */
    public record BodyLimits(long budgetBytes, java.time.Duration maximumWait) {
        static final BodyLimits UNBOUNDED = new BodyLimits(Long.MAX_VALUE, java.time.Duration.ZERO);
    }

    /**
     * What the HTTP layer needs to enforce authentication.
     *
     * @param logins where each login, succeeded or failed, is audited; empty to audit none
     */
    public record AuthSettings(AccessController access, LoginThrottle throttle, Optional<String> realm, String service,
                               Optional<io.berth.audit.LoginAudit> logins) {
        /** Settings that audit no login. */
        public AuthSettings(AccessController access, LoginThrottle throttle, Optional<String> realm, String service) {
            this(access, throttle, realm, service, Optional.empty());
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Route route = Routes.match(request.getHttpURI().getDecodedPath());
        Callback completion = observer == HttpObserver.NONE ? callback
                : new RequestMeter(callback, request, response, Routes.nameOf(route), sendsUploadBytes(route, request), observer);
        Exchange exchange = new Exchange(request, response, completion);
        response.getHeaders().put("Docker-Distribution-API-Version", "registry/2.0");
        try {
            dispatch(exchange, route);
        } catch (RegistryException e) {
            if (route instanceof Route.Promotions && exchange.method().equals("POST")) {
                promotions.ifPresent(resource -> resource.logRefusal(exchange, e));
                observer.promotion(HttpObserver.PromotionOutcome.REFUSED);
            }
            if (e.code() == ErrorCode.UNAVAILABLE && exchange.responseHeader("Retry-After").isEmpty()) {
                exchange.setHeader("Retry-After", Integer.toString(BodyBudget.RETRY_AFTER_SECONDS));
            }
            ErrorResponses.send(exchange, e.httpStatus(), e.code(), e.getMessage(), e.detail().orElse(null));
        } catch (UploadService.ChunkOutOfOrder e) {
            exchange.setHeader("Range", io.berth.oci.ByteRange.receivedHeader(e.stagedSize()));
            ErrorResponses.send(exchange, 416, ErrorCode.BLOB_UPLOAD_INVALID, e.getMessage(),
                    Map.of("expectedStart", e.stagedSize()));
        } catch (UncheckedIOException e) {
            ErrorResponses.failedBody(exchange, e);
        } catch (java.io.IOException e) {
            ErrorResponses.failedBody(exchange, e);
        } catch (StorageFailure | MetadataException e) {
            ErrorResponses.fail(exchange, e);
        } catch (Exception e) {
            ErrorResponses.fail(exchange, e);
        }
        return true;
    }

    /** Whether the request sends blob bytes into an upload: a monolithic POST, a PATCH, a closing PUT. */
    private static boolean sendsUploadBytes(Route route, Request request) {
        String method = request.getMethod();
        return route instanceof Route.Upload ? method.equals("PATCH") || method.equals("PUT")
                : route instanceof Route.UploadStart && method.equals("POST");
    }

    /**
     * Refuses a write while the registry is in read-only maintenance mode: 405 {@code UNSUPPORTED}
     * with {@code Allow: GET, HEAD}, as CNCF Distribution's read-only mode answers, decided from the
     * route and method alone so that no body is read. Tokens are still issued (pulls need them) and
     * Berth's own endpoints other than promotion still answer (the switch itself among them).
     */
    private void refuseWritesWhileReadOnly(Exchange exchange, Route route) {
        String method = exchange.method();
        if (method.equals("GET") || method.equals("HEAD") || !maintenance.readOnly()) {
            return;
        }
        boolean writes = route instanceof Route.Manifest || route instanceof Route.Blob || route instanceof Route.UploadStart
                || route instanceof Route.Upload || route instanceof Route.Promotions;
        if (writes) {
            exchange.setHeader("Allow", "GET, HEAD");
            throw RegistryException.withStatus(ErrorCode.UNSUPPORTED, 405, READ_ONLY_MESSAGE);
        }
    }

    /** What clients print when a write is refused in maintenance mode. */
    static final String READ_ONLY_MESSAGE = "the registry is in read-only maintenance mode: pushes, deletes and"
            + " promotions are refused until an administrator switches it off; pulls work";

    /**
     * The read-only maintenance switch. Reading it takes an authenticated caller, switching it a
     * registry admin, both decided before the body is read; with authentication off anyone may do either.
     */
    private void maintenance(Exchange exchange, Optional<AuthGate.Caller> caller) throws java.io.IOException {
        Resources.requireMethod(exchange, "GET", "HEAD", "PUT");
        if (exchange.method().equals("PUT")) {
            caller.ifPresent(known -> gate.orElseThrow().requireRegistryAdmin(exchange, known));
            maintenanceResource.put(exchange, caller.map(AuthGate::actor).orElse("anonymous"));
            return;
        }
        caller.ifPresent(known -> gate.orElseThrow().requireAuthenticated(exchange, known));
        maintenanceResource.get(exchange);
    }

    /**
     * Authorizes the request, then reserves room for its body in the budget, then runs the route's
     * resource: no body is read before both (the token endpoint, where the credentials are the body,
     * only reserves). For a promotion, whose body names the repositories, the caller must first be
     * allowed to promote somewhere; the repositories it names are checked once it is read.
     */
    private void dispatch(Exchange exchange, Route route) throws Exception {
        if (route instanceof Route.Token) {
            TokenResource endpoint = tokens.orElseThrow(() ->
                    RegistryException.of(ErrorCode.UNSUPPORTED, "authentication is not configured"));
            try (BodyBudget.Reservation reserved = bodies.reserve(exchange, bufferedBodyBytes(exchange, route))) {
                endpoint.handle(exchange);
            }
            return;
        }
        Optional<AuthGate.Caller> caller = gate.map(check -> check.check(exchange, route));
        caller.ifPresent(known -> exchange.request.setAttribute(AccessLog.PRINCIPAL, AuthGate.actor(known)));
        if (route instanceof Route.Promotions && exchange.method().equals("POST")) {
            caller.ifPresent(known -> gate.orElseThrow().requireAllowedSomewhere(exchange, known, Action.PROMOTE));
        }
        refuseWritesWhileReadOnly(exchange, route);
        try (BodyBudget.Reservation reserved = bodies.reserve(exchange, bufferedBodyBytes(exchange, route))) {
            serve(exchange, route, caller);
        }
    }

    /**
     * How much of the heap the request may hold for its body: a manifest its declared length (the
     * limit when it declares none), a blob upload the store's copy buffer, a token form or a Berth
     * API body its limit (a promotion also the signature payloads and attestation envelopes its gates
     * read); 0 for requests whose body is never read.
     */
    private long bufferedBodyBytes(Exchange exchange, Route route) {
        String method = exchange.method();
        return switch (route) {
            case Route.Token token -> method.equals("POST") ? Limits.MAX_TOKEN_FORM_BYTES : 0;
            case Route.Promotions promotion -> method.equals("POST")
                    ? Limits.MAX_API_REQUEST_BYTES + Limits.MAX_SIGNATURE_PAYLOAD_TOTAL_BYTES
                            + Limits.MAX_ATTESTATION_ENVELOPE_TOTAL_BYTES : 0;
            case Route.Maintenance maintenance -> method.equals("PUT") ? Limits.MAX_MAINTENANCE_REQUEST_BYTES : 0;
            case Route.Quotas quotas -> 0;
            case Route.Metrics metrics -> 0;
            case Route.Robots robots -> method.equals("POST") ? Limits.MAX_ROBOT_REQUEST_BYTES : 0;
            case Route.Robot robot -> 0;
            case Route.Audit audit -> 0;
            case Route.Gc gc -> 0;
            case Route.WebPage page -> method.equals("POST") ? Limits.MAX_TOKEN_FORM_BYTES : 0;
            case Route.Manifest manifest -> method.equals("PUT")
                    ? Math.min(exchange.contentLength().orElse(Limits.MAX_MANIFEST_BYTES), Limits.MAX_MANIFEST_BYTES) : 0;
            case Route.Upload upload -> method.equals("PATCH") || method.equals("PUT") ? uploadBufferBytes : 0;
            case Route.UploadStart start -> method.equals("POST") && exchange.query("digest").isPresent() ? uploadBufferBytes : 0;
            case Route.Base base -> 0;
            case Route.Catalog catalog -> 0;
            case Route.Tags tags -> 0;
            case Route.Blob blob -> 0;
            case Route.Referrers referrers -> 0;
            case Route.Health health -> 0;
            case Route.Mirrors mirrors -> 0;
            case Route.MirrorChoice choice -> 0;
            case Route.MirrorCrawl crawl -> 0;
            case Route.NotFound notFound -> 0;
        };
    }

    private void serve(Exchange exchange, Route route, Optional<AuthGate.Caller> caller) throws Exception {
        switch (route) {
            case Route.Base base -> {
                if (!exchange.method().equals("GET") && !exchange.method().equals("HEAD")) {
                    Resources.methodNotAllowed(exchange, "GET, HEAD");
                }
                exchange.send(200, "application/json", EMPTY_OBJECT);
            }
            case Route.Catalog catalog -> listing.catalog(exchange,
                    name -> caller.isEmpty() || gate.orElseThrow().mayPull(caller.get(), name.value()));
            case Route.Tags tags -> listing.tags(exchange, Resources.name(tags.name()));
            case Route.Manifest manifest ->
                    manifests.handle(exchange, Resources.name(manifest.name()), manifestReference(exchange, manifest.reference()),
                            tagWriter(caller));
            case Route.Blob blob -> blobs.handle(exchange, Resources.name(blob.name()), Digest.parse(blob.digest()));
            case Route.UploadStart start -> uploads.handleStart(exchange, Resources.name(start.name()));
            case Route.Upload upload -> uploads.handle(exchange, Resources.name(upload.name()), upload.id());
            case Route.Referrers referrers ->
                    listing.referrers(exchange, Resources.name(referrers.name()), Digest.parse(referrers.digest()));
            case Route.Mirrors list -> mirrors.list(exchange, caller.isEmpty() || gate.orElseThrow().isRegistryAdmin(caller.get()));
            case Route.MirrorChoice choice -> {
                caller.ifPresent(known -> gate.orElseThrow().requireRegistryAdmin(exchange, known));
                mirrors.choice(exchange);
            }
            case Route.MirrorCrawl crawl -> {
                caller.ifPresent(known -> gate.orElseThrow().requireRegistryAdmin(exchange, known));
                mirrors.crawl(exchange);
            }
            case Route.Promotions promotion -> promotions(exchange, caller);
            case Route.Maintenance maintenance -> maintenance(exchange, caller);
            case Route.Quotas list -> {
                // Authenticated callers see the quotas covering a repository they may pull; admins, and
                // everyone when authentication is off, see all of them.
                caller.ifPresent(known -> gate.orElseThrow().requireAuthenticated(exchange, known));
                quotas.list(exchange, usage -> caller.isEmpty() || gate.orElseThrow().isRegistryAdmin(caller.get())
                        || QuotaResource.coversAny(usage, name -> gate.orElseThrow().mayPull(caller.get(), name.value())));
            }
            case Route.Metrics page -> {
                if (!metrics.served()) {
                    ErrorResponses.send(exchange, 404, ErrorCode.UNSUPPORTED, "no such endpoint", null);
                    return;
                }
                caller.ifPresent(known -> gate.orElseThrow().requireMetricsReader(exchange, known, metrics.readers()));
                metrics.get(exchange);
            }
            case Route.Robots list -> administration.robots(exchange, caller);
            case Route.Robot robot -> administration.robot(exchange, caller, robot);
            case Route.Audit trail -> administration.audit(exchange, caller);
            case Route.Gc pass -> administration.gc(exchange, caller);
            case Route.WebPage page -> webPages.handle(exchange, page.path(), caller);
            case Route.NotFound notFound ->
                    ErrorResponses.send(exchange, 404, ErrorCode.UNSUPPORTED, "no such endpoint", null);
            case Route.Token token -> throw new IllegalStateException("handled above");
            case Route.Health health -> healthResource.get(exchange);
        }
    }

    private void promotions(Exchange exchange, Optional<AuthGate.Caller> caller) throws Exception {
        PromotionResource promotions = this.promotions.orElseThrow(() ->
                RegistryException.withStatus(ErrorCode.UNSUPPORTED, 404, "promotion is not configured"));
        if (exchange.method().equals("GET") || exchange.method().equals("HEAD")) {
            promotions.list(exchange, name -> caller.isEmpty() || gate.orElseThrow().mayPull(caller.get(), name));
            return;
        }
        io.berth.promotion.PromotionRequest request = promotions.parse(exchange,
                caller.map(AuthGate::actor).orElse("anonymous"))
                .withClientAddress(AdministrationEndpoints.clientAddress(exchange, clients));
        caller.ifPresent(known -> promotions.authorize(exchange, gate.orElseThrow(), known, request));
        promotions.promote(exchange, request, name -> caller.isEmpty() || gate.orElseThrow().mayPull(caller.get(), name),
                tagWriter(caller));
    }

    /** Who tag protection sees: the caller's proven name, or anonymous (also when authentication is off). */
    private static io.berth.protection.TagWriter tagWriter(Optional<AuthGate.Caller> caller) {
        return caller.filter(known -> !(known.principal() instanceof io.berth.auth.Principal.Anonymous))
                .map(known -> io.berth.protection.TagWriter.named(AuthGate.actor(known)))
                .orElse(io.berth.protection.TagWriter.ANONYMOUS);
    }

    /**
     * The manifest reference of a request. Only a PUT offers a tag as input, so only a PUT is refused
     * for an invalid one; GET, HEAD and DELETE look the reference up, and since no manifest can be
     * tagged with an invalid tag they answer 404 {@code MANIFEST_UNKNOWN} (spec "Pulling manifests":
     * a manifest not found in the repository MUST be 404). Malformed digests stay 400.
     */
    private static Reference manifestReference(Exchange exchange, String value) {
        try {
            return Reference.parse(value);
        } catch (RegistryException e) {
            if (exchange.method().equals("PUT") || value.indexOf(':') >= 0) {
                throw e;
            }
            throw RegistryException.of(ErrorCode.MANIFEST_UNKNOWN, "no manifest can be tagged " + value
                    + ": it is not a valid tag");
        }
    }
}
