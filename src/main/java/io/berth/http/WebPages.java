package io.berth.http;

import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.Reference;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.registry.Registry;
import io.berth.ui.Browse;
import io.berth.ui.Links;
import io.berth.ui.PageFrame;
import io.berth.ui.Pages;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The web interface's browse pages ({@link io.berth.ui}): the repositories, a repository's tags,
 * one manifest, and the stylesheet. Only {@code GET} and {@code HEAD}; no request body is read.
 * Every page shows only what {@code visible} lets the caller pull, and a repository it may not pull
 * is answered exactly like one that does not exist. Pages depend on who asks, so none is cached;
 * they load nothing but the stylesheet, and the headers forbid scripts, frames and other origins.
 */
final class WebPages {
    /** No script, no frame, nothing from another origin; forms post only here. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self';"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final String HTML = "text/html; charset=utf-8";

    private final Browse browse;
    private final Pages pages = new Pages();
    private final String version;

    WebPages(Registry registry, String version) {
        this.browse = new Browse(registry);
        this.version = version;
    }

    void handle(Exchange exchange, String path, Predicate<RepositoryName> visible) {
        Resources.requireMethod(exchange, "GET", "HEAD");
        if (path.equals(Links.STYLESHEET)) {
            exchange.setHeader("Cache-Control", "public, max-age=3600");
            exchange.setHeader("X-Content-Type-Options", "nosniff");
            exchange.send(200, "text/css; charset=utf-8", pages.stylesheet());
            return;
        }
        PageFrame frame = new PageFrame(RequestAuthority.of(exchange), version);
        exchange.setHeader("Cache-Control", "no-store");
        exchange.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        exchange.setHeader("X-Content-Type-Options", "nosniff");
        exchange.setHeader("X-Frame-Options", "DENY");
        exchange.setHeader("Referrer-Policy", "same-origin");
        try {
            exchange.send(200, HTML, render(exchange, path, frame, visible));
        } catch (RegistryException e) {
            if (!isNotFound(e.code())) {
                throw e;
            }
            exchange.send(404, HTML, pages.error(frame, "Not found", notFoundMessage(e.code())));
        }
    }

    private byte[] render(Exchange exchange, String path, PageFrame frame, Predicate<RepositoryName> visible) {
        Optional<String> after = exchange.query("last").filter(value -> !value.isEmpty());
        if (path.equals(Links.HOME)) {
            return pages.repositories(frame, browse.repositories(exchange.query("q"), after, visible), after.isEmpty());
        }
        if (path.startsWith(Links.REPOSITORIES)) {
            RepositoryName name = RepositoryName.parse(path.substring(Links.REPOSITORIES.length()));
            return pages.repository(frame, browse.tags(name, after, visible), after.isEmpty());
        }
        if (path.startsWith(Links.IMAGES)) {
            String reference = path.substring(Links.IMAGES.length());
            int at = reference.indexOf('@');
            int colon = reference.lastIndexOf(':');
            if (at > 0) {
                return image(frame, reference.substring(0, at), Digest.parse(reference.substring(at + 1)), visible);
            }
            if (colon > 0) {
                return image(frame, reference.substring(0, colon), Tag.parse(reference.substring(colon + 1)), visible);
            }
        }
        throw RegistryException.of(ErrorCode.NAME_UNKNOWN, "no such page");
    }

    private byte[] image(PageFrame frame, String name, Reference reference, Predicate<RepositoryName> visible) {
        return pages.image(frame, browse.image(RepositoryName.parse(name), reference, visible));
    }

    /**
     * What a page answers as not found: a name, tag or digest that names nothing here, or that is
     * malformed and so cannot name anything (a malformed tag is {@code MANIFEST_INVALID}).
     */
    private static final java.util.Set<ErrorCode> NOT_FOUND = java.util.EnumSet.of(ErrorCode.NAME_UNKNOWN,
            ErrorCode.NAME_INVALID, ErrorCode.MANIFEST_UNKNOWN, ErrorCode.MANIFEST_INVALID, ErrorCode.DIGEST_INVALID);

    private static boolean isNotFound(ErrorCode code) {
        return NOT_FOUND.contains(code);
    }

    private static String notFoundMessage(ErrorCode code) {
        return code == ErrorCode.MANIFEST_UNKNOWN
                ? "This repository has no such tag or manifest."
                : "There is no such page or repository, or you may not see it.";
    }
}
