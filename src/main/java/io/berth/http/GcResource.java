package io.berth.http;

import java.io.IOException;

/**
 * {@code POST /berth/v1/gc} ({@code docs/operations.md}, "Garbage collection"), for registry admins
 * only (checked before this class runs): runs one pass now on this node and answers with its
 * figures; with {@code ?dry-run=true} lists what a pass would remove, changing nothing (at most
 * {@link #LISTED} items of each kind, with the full counts). It reads no body.
 */
final class GcResource {
    static final int LISTED = 1000;

    private final Administration.GarbageCollection gc;

    GcResource(Administration.GarbageCollection gc) {
        this.gc = gc;
    }

    void run(Exchange exchange) throws IOException {
        Resources.requireMethod(exchange, "POST");
        String dryRun = exchange.query("dry-run").orElse("false");
        if (!dryRun.equals("true") && !dryRun.equals("false")) {
            throw Resources.badRequest("dry-run must be true or false");
        }
        exchange.setHeader("Cache-Control", "no-store");
        exchange.sendJson(200, gc.run(dryRun.equals("true"), LISTED));
    }
}
