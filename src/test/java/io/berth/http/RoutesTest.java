package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.RepositoryName;
import io.berth.storage.UploadId;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The route table against the distribution spec's endpoint table ("Endpoints", end-1 … end-13).
 * Names contain slashes and may contain the words {@code blobs}, {@code manifests} or {@code uploads},
 * so paths are read from their end.
 */
class RoutesTest {
    private static final String DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    private static final String UPLOAD = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";

    static Stream<Arguments> routes() {
        return Stream.of(
                // end-1
                argumentSet("base with slash (end-1)", "/v2/", new Route.Base()),
                argumentSet("base without slash", "/v2", new Route.Base()),
                // catalog
                argumentSet("catalog", "/v2/_catalog", new Route.Catalog()),
                // Berth's own
                argumentSet("health", "/berth/v1/health", new Route.Health()),
                // end-8
                argumentSet("tags (end-8)", "/v2/ubuntu/tags/list", new Route.Tags("ubuntu")),
                argumentSet("tags, three components", "/v2/a/b/c/tags/list", new Route.Tags("a/b/c")),
                argumentSet("tags of a repository named tags", "/v2/tags/tags/list", new Route.Tags("tags")),
                // end-3, end-7, end-9
                argumentSet("manifest by tag (end-3)", "/v2/ubuntu/manifests/latest", new Route.Manifest("ubuntu", "latest")),
                argumentSet("manifest by digest", "/v2/ubuntu/manifests/" + DIGEST, new Route.Manifest("ubuntu", DIGEST)),
                argumentSet("manifest, two components", "/v2/library/ubuntu/manifests/22.04", new Route.Manifest("library/ubuntu", "22.04")),
                argumentSet("manifest, five components", "/v2/a/b/c/d/e/manifests/v1", new Route.Manifest("a/b/c/d/e", "v1")),
                argumentSet("manifest of a repository named blobs", "/v2/blobs/manifests/latest", new Route.Manifest("blobs", "latest")),
                argumentSet("manifest of a repository ending in manifests", "/v2/a/manifests/manifests/latest", new Route.Manifest("a/manifests", "latest")),
                argumentSet("manifest tagged like a segment", "/v2/a/manifests/blobs", new Route.Manifest("a", "blobs")),
                argumentSet("manifest tagged uploads", "/v2/a/manifests/uploads", new Route.Manifest("a", "uploads")),
                // end-2, end-10
                argumentSet("blob (end-2)", "/v2/ubuntu/blobs/" + DIGEST, new Route.Blob("ubuntu", DIGEST)),
                argumentSet("blob, two components", "/v2/library/ubuntu/blobs/" + DIGEST, new Route.Blob("library/ubuntu", DIGEST)),
                argumentSet("blob of a repository named manifests", "/v2/manifests/blobs/" + DIGEST, new Route.Blob("manifests", DIGEST)),
                argumentSet("blob of a repository ending in blobs", "/v2/a/blobs/blobs/" + DIGEST, new Route.Blob("a/blobs", DIGEST)),
                argumentSet("blob of a repository ending in blobs/uploads", "/v2/a/blobs/uploads/blobs/" + DIGEST,
                        new Route.Blob("a/blobs/uploads", DIGEST)),
                // end-4, end-11
                argumentSet("upload start (end-4a)", "/v2/ubuntu/blobs/uploads/", new Route.UploadStart("ubuntu")),
                argumentSet("upload start without trailing slash", "/v2/ubuntu/blobs/uploads", new Route.UploadStart("ubuntu")),
                argumentSet("upload start, two components", "/v2/library/ubuntu/blobs/uploads/", new Route.UploadStart("library/ubuntu")),
                argumentSet("upload start of a repository named blobs", "/v2/blobs/blobs/uploads/", new Route.UploadStart("blobs")),
                argumentSet("upload start of a repository named uploads", "/v2/uploads/blobs/uploads/", new Route.UploadStart("uploads")),
                argumentSet("upload start of a repository ending in blobs/uploads", "/v2/a/blobs/uploads/blobs/uploads/",
                        new Route.UploadStart("a/blobs/uploads")),
                // end-5, end-6, end-13
                argumentSet("upload session (end-5)", "/v2/ubuntu/blobs/uploads/" + UPLOAD, new Route.Upload("ubuntu", UPLOAD)),
                argumentSet("upload session, two components", "/v2/library/ubuntu/blobs/uploads/" + UPLOAD, new Route.Upload("library/ubuntu", UPLOAD)),
                argumentSet("upload session of a repository named blobs", "/v2/blobs/blobs/uploads/" + UPLOAD, new Route.Upload("blobs", UPLOAD)),
                // end-12
                argumentSet("referrers (end-12)", "/v2/ubuntu/referrers/" + DIGEST, new Route.Referrers("ubuntu", DIGEST)),
                argumentSet("referrers, two components", "/v2/library/ubuntu/referrers/" + DIGEST, new Route.Referrers("library/ubuntu", DIGEST)),
                // Raw parameters: validation is the resources' job, so each failure gets its own error code.
                argumentSet("invalid name passed on raw", "/v2/UPPER/manifests/latest", new Route.Manifest("UPPER", "latest")),
                argumentSet("empty name component passed on raw", "/v2/a//b/manifests/latest", new Route.Manifest("a//b", "latest")),
                argumentSet("invalid digest passed on raw", "/v2/a/blobs/sha256:xyz", new Route.Blob("a", "sha256:xyz")));
    }

    @ParameterizedTest
    @MethodSource("routes")
    void matchesEveryEndpoint(String path, Route expected) {
        assertThat(Routes.match(path)).isEqualTo(expected);
    }

    static Stream<Arguments> unknownPaths() {
        return Stream.of(
                argumentSet("empty", ""),
                argumentSet("web interface lookalike", "/uix/repositories/a"),
                argumentSet("web interface without its slash", "/ui"),
                argumentSet("other API version", "/v1/_ping"),
                argumentSet("prefix without separator", "/v2x"),
                argumentSet("prefix lookalike", "/v20/a/manifests/latest"),
                argumentSet("catalog with trailing slash", "/v2/_catalog/"),
                argumentSet("tags list with trailing slash", "/v2/a/tags/list/"),
                argumentSet("tags without list", "/v2/a/tags"),
                argumentSet("tags with something other than list", "/v2/a/tags/all"),
                argumentSet("manifest with trailing slash", "/v2/a/manifests/latest/"),
                argumentSet("manifests without reference", "/v2/a/manifests/"),
                argumentSet("manifests without name", "/v2/manifests/latest"),
                argumentSet("manifests with empty name", "/v2//manifests/latest"),
                argumentSet("blob with trailing slash", "/v2/a/blobs/" + DIGEST + "/"),
                argumentSet("blobs without digest", "/v2/a/blobs/"),
                argumentSet("blobs without name", "/v2/blobs/" + DIGEST),
                argumentSet("upload session with trailing slash", "/v2/a/blobs/uploads/" + UPLOAD + "/"),
                argumentSet("uploads without blobs", "/v2/a/uploads/" + UPLOAD),
                argumentSet("upload start without name", "/v2/blobs/uploads/"),
                argumentSet("referrers without digest", "/v2/a/referrers/"),
                argumentSet("referrers with trailing slash", "/v2/a/referrers/" + DIGEST + "/"),
                argumentSet("name only", "/v2/ubuntu"),
                argumentSet("name with trailing slash", "/v2/ubuntu/"),
                argumentSet("unknown resource", "/v2/ubuntu/things/x"),
                argumentSet("unknown resource, no name", "/v2/things/x"));
    }

    @ParameterizedTest
    @MethodSource("unknownPaths")
    void matchesNothingElse(String path) {
        assertThat(Routes.match(path)).isEqualTo(new Route.NotFound());
    }

    /** The URLs handed out in {@code Location} and {@code Link} headers lead back to their own routes. */
    @Test
    void theMetricsPathIsARouteAndEveryRouteHasItsOwnName() {
        assertThat(Routes.match("/metrics")).isEqualTo(new Route.Metrics());
        java.util.List<Route> routes = java.util.List.of(new Route.Base(), new Route.Catalog(), new Route.Tags("a"),
                new Route.Manifest("a", "b"), new Route.Blob("a", "b"), new Route.UploadStart("a"), new Route.Upload("a", "b"),
                new Route.Referrers("a", "b"), new Route.Token(), new Route.Health(), new Route.Mirrors(),
                new Route.MirrorChoice(), new Route.MirrorCrawl(), new Route.Promotions(), new Route.Maintenance(),
                new Route.Quotas(), new Route.Metrics(), new Route.WebPage("/"), new Route.NotFound());
        assertThat(routes.stream().map(Routes::nameOf).distinct()).hasSize(routes.size())
                .allMatch(name -> name.matches("[a-z_]+"));
        assertThat(Routes.nameOf(Routes.match("/v2/secret/team/manifests/latest"))).isEqualTo("manifest");
    }

    /** The web interface's pages are {@code /} and everything under {@code /ui/}, as {@link io.berth.ui.Links} builds them. */
    @Test
    void theWebInterfacesLinksAreItsRoute() {
        RepositoryName name = RepositoryName.parse("library/ubuntu");
        for (String link : java.util.List.of(io.berth.ui.Links.HOME, io.berth.ui.Links.repository(name),
                io.berth.ui.Links.image(name, "24.04"), io.berth.ui.Links.image(name, Digest.parse(DIGEST)),
                io.berth.ui.Links.STYLESHEET)) {
            assertThat(Routes.match(link)).as(link).isEqualTo(new Route.WebPage(link));
        }
    }

    @Test
    void builtUrlsMatchTheirRoutes() {
        RepositoryName name = RepositoryName.parse("library/blobs/manifests");
        Digest digest = Digest.parse(DIGEST);
        UploadId upload = new UploadId(UPLOAD);

        assertThat(Routes.match(Routes.blob(name, digest))).isEqualTo(new Route.Blob(name.value(), DIGEST));
        assertThat(Routes.match(Routes.manifest(name, digest))).isEqualTo(new Route.Manifest(name.value(), DIGEST));
        assertThat(Routes.match(Routes.upload(name, upload))).isEqualTo(new Route.Upload(name.value(), UPLOAD));
        assertThat(Routes.match(Routes.tags(name))).isEqualTo(new Route.Tags(name.value()));
        assertThat(Routes.match(Routes.catalog())).isEqualTo(new Route.Catalog());
    }

    @Test
    void builtUrlsHaveTheSpecsShape() {
        RepositoryName name = RepositoryName.parse("library/ubuntu");
        Digest digest = Digest.of(DigestAlgorithm.SHA256, new byte[0]);

        assertThat(Routes.blob(name, digest)).isEqualTo("/v2/library/ubuntu/blobs/" + digest);
        assertThat(Routes.manifest(name, digest)).isEqualTo("/v2/library/ubuntu/manifests/" + digest);
        assertThat(Routes.upload(name, new UploadId(UPLOAD))).isEqualTo("/v2/library/ubuntu/blobs/uploads/" + UPLOAD);
        assertThat(Routes.tags(name)).isEqualTo("/v2/library/ubuntu/tags/list");
        assertThat(Routes.catalog()).isEqualTo("/v2/_catalog");
    }
}
