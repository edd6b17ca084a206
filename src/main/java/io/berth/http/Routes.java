package io.berth.http;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import io.berth.storage.UploadId;

/**
 * The route table: matches request paths to {@link Route}s and builds the URLs Berth hands out in
 * {@code Location} and {@code Link} headers, so that both directions live in one place.
 *
 * <p>Names contain slashes, so a path is read from its end: the last segment is the reference,
 * digest or upload id, and the segment before it says which resource is meant.
 */
final class Routes {
    static final String PREFIX = "/v2/";
    static final String TOKEN = "/auth/token";
    static final String MIRRORS = "/berth/v1/mirrors";
    static final String PROMOTIONS = "/berth/v1/promotions";
    static final String HEALTH = "/berth/v1/health";
    static final String MAINTENANCE = "/berth/v1/maintenance";
    static final String QUOTAS = "/berth/v1/quotas";
    static final String METRICS = "/metrics";
    static final String ROBOTS = "/berth/v1/robots";
    static final String AUDIT = "/berth/v1/audit";
    static final String GC = "/berth/v1/gc";

    private Routes() {
    }

    static Route match(String path) {
        if (path.equals("/v2") || path.equals(PREFIX)) {
            return new Route.Base();
        }
        if (path.equals(io.berth.ui.Links.HOME) || path.startsWith(io.berth.ui.Links.PREFIX)) {
            return new Route.WebPage(path);
        }
        if (path.startsWith(ROBOTS + "/")) {
            return robotRoute(path.substring(ROBOTS.length() + 1));
        }
        if (!path.startsWith(PREFIX)) {
            return switch (path) {
                case TOKEN -> new Route.Token();
                case MIRRORS -> new Route.Mirrors();
                case MIRRORS + "/choice" -> new Route.MirrorChoice();
                case MIRRORS + "/crawl" -> new Route.MirrorCrawl();
                case PROMOTIONS -> new Route.Promotions();
                case HEALTH -> new Route.Health();
                case MAINTENANCE -> new Route.Maintenance();
                case QUOTAS -> new Route.Quotas();
                case METRICS -> new Route.Metrics();
                case ROBOTS -> new Route.Robots();
                case AUDIT -> new Route.Audit();
                case GC -> new Route.Gc();
                default -> new Route.NotFound();
            };
        }
        String rest = path.substring(PREFIX.length());
        if (rest.equals("_catalog")) {
            return new Route.Catalog();
        }
        int lastSlash = rest.lastIndexOf('/');
        if (lastSlash <= 0) {
            return new Route.NotFound();
        }
        String last = rest.substring(lastSlash + 1);
        String head = rest.substring(0, lastSlash);
        int segmentSlash = head.lastIndexOf('/');
        if (segmentSlash <= 0) {
            return new Route.NotFound();
        }
        String segment = head.substring(segmentSlash + 1);
        String name = head.substring(0, segmentSlash);
        return switch (segment) {
            case "manifests" -> last.isEmpty() ? new Route.NotFound() : new Route.Manifest(name, last);
            case "referrers" -> last.isEmpty() ? new Route.NotFound() : new Route.Referrers(name, last);
            case "tags" -> last.equals("list") ? new Route.Tags(name) : new Route.NotFound();
            case "blobs" -> last.equals("uploads") ? new Route.UploadStart(name)
                    : last.isEmpty() ? new Route.NotFound() : new Route.Blob(name, last);
            case "uploads" -> uploadRoute(name, last);
            default -> new Route.NotFound();
        };
    }

    /** {@code NAME} or {@code NAME/secret} under {@code /berth/v1/robots/}. */
    private static Route robotRoute(String rest) {
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return rest.isEmpty() ? new Route.NotFound() : new Route.Robot(rest, false);
        }
        return rest.substring(slash).equals("/secret") && slash > 0
                ? new Route.Robot(rest.substring(0, slash), true) : new Route.NotFound();
    }

    private static Route uploadRoute(String nameWithBlobs, String last) {
        if (!nameWithBlobs.endsWith("/blobs")) {
            return new Route.NotFound();
        }
        String name = nameWithBlobs.substring(0, nameWithBlobs.length() - "/blobs".length());
        if (name.isEmpty()) {
            return new Route.NotFound();
        }
        return last.isEmpty() ? new Route.UploadStart(name) : new Route.Upload(name, last);
    }

    /**
     * The route's name, a constant for each kind of route: what monitoring labels a request with, so
     * that repository names, digests and upload ids never become labels.
     */
    static String nameOf(Route route) {
        return switch (route) {
            case Route.Base base -> "base";
            case Route.Catalog catalog -> "catalog";
            case Route.Tags tags -> "tags";
            case Route.Manifest manifest -> "manifest";
            case Route.Blob blob -> "blob";
            case Route.UploadStart start -> "upload_start";
            case Route.Upload upload -> "upload";
            case Route.Referrers referrers -> "referrers";
            case Route.Token token -> "token";
            case Route.Health health -> "health";
            case Route.Mirrors mirrors -> "mirrors";
            case Route.MirrorChoice choice -> "mirror_choice";
            case Route.MirrorCrawl crawl -> "mirror_crawl";
            case Route.Promotions promotions -> "promotions";
            case Route.Maintenance maintenance -> "maintenance";
            case Route.Quotas quotas -> "quotas";
            case Route.Metrics metrics -> "metrics";
            case Route.Robots robots -> "robots";
            case Route.Robot robot -> robot.secret() ? "robot_secret" : "robot";
            case Route.Audit audit -> "audit";
            case Route.Gc gc -> "gc";
            case Route.WebPage page -> "web_page";
            case Route.NotFound notFound -> "not_found";
        };
    }

    static String blob(RepositoryName name, Digest digest) {
        return PREFIX + name + "/blobs/" + digest;
    }

    static String manifest(RepositoryName name, Digest digest) {
        return PREFIX + name + "/manifests/" + digest;
    }

    static String upload(RepositoryName name, UploadId id) {
        return PREFIX + name + "/blobs/uploads/" + id;
    }

    static String tags(RepositoryName name) {
        return PREFIX + name + "/tags/list";
    }

    static String catalog() {
        return PREFIX + "_catalog";
    }
}
