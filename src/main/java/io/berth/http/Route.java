package io.berth.http;

/**
 * A matched API path (OCI Distribution Spec, "Endpoints"). The {@code name} and path parameters
 * are raw strings here; resources validate them so that each failure gets its own error code.
 */
sealed interface Route {
    /** {@code /v2/} (end-1). */
    record Base() implements Route {
    }

    /** {@code /v2/_catalog}. */
    record Catalog() implements Route {
    }

    /** {@code /v2/<name>/tags/list} (end-8). */
    record Tags(String name) implements Route {
    }

    /** {@code /v2/<name>/manifests/<reference>} (end-3, end-7, end-9). */
    record Manifest(String name, String reference) implements Route {
    }

    /** {@code /v2/<name>/blobs/<digest>} (end-2, end-10). */
    record Blob(String name, String digest) implements Route {
    }

    /** {@code /v2/<name>/blobs/uploads/} (end-4, end-11). */
    record UploadStart(String name) implements Route {
    }

    /** {@code /v2/<name>/blobs/uploads/<id>} (end-5, end-6, end-13, upload cancel). */
    record Upload(String name, String id) implements Route {
    }

    /** {@code /v2/<name>/referrers/<digest>} (end-12). */
    record Referrers(String name, String digest) implements Route {
    }

    /** {@code /auth/token}: Berth's token endpoint (Docker token protocol). */
    record Token() implements Route {
    }

    /** {@code /berth/v1/health}: whether this node can serve, for load balancers; no credentials needed. */
    record Health() implements Route {
    }

    /** {@code /berth/v1/mirrors}: the mirrors and their state. */
    record Mirrors() implements Route {
    }

    /** {@code /berth/v1/mirrors/choice}: which source a client would be sent to for a blob (admins only). */
    record MirrorChoice() implements Route {
    }

    /** {@code /berth/v1/mirrors/crawl}: crawl every mirror now (admins only). */
    record MirrorCrawl() implements Route {
    }

    /** {@code /berth/v1/promotions}: promote (POST) and the audit trail (GET). */
    record Promotions() implements Route {
    }

    /** {@code /berth/v1/maintenance}: the read-only maintenance switch (GET: authenticated callers; PUT: admins only). */
    record Maintenance() implements Route {
    }

    /** {@code /berth/v1/quotas}: each quota with its usage (authenticated callers; the quotas they may see). */
    record Quotas() implements Route {
    }

    /** {@code /metrics}: the metrics in the Prometheus text format, when served on the main port. */
    record Metrics() implements Route {
    }

    /** {@code /berth/v1/robots}: robot accounts (GET list, POST create; admins only). */
    record Robots() implements Route {
    }

    /**
     * {@code /berth/v1/robots/<name>} (DELETE revokes) and {@code /berth/v1/robots/<name>/secret}
     * (POST rotates, {@code secret} true); admins only.
     */
    record Robot(String name, boolean secret) implements Route {
    }

    /** {@code /berth/v1/audit}: the audit trail (authenticated callers; the entries they may see). */
    record Audit() implements Route {
    }

    /** {@code /berth/v1/gc}: one garbage-collection pass now, or a dry run (admins only). */
    record Gc() implements Route {
    }

    /**
     * A page of the web interface or its stylesheet: {@code /} and everything under {@code /ui/}
     * ({@link io.berth.ui.Links}). Anyone may ask; each page shows only what the caller may pull.
     */
    record WebPage(String path) implements Route {
    }

    /** Anything else. */
    record NotFound() implements Route {
    }
}
