package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /v2/}, tag lists (end-8), the catalog, name validation and the common headers. */
class DiscoveryApiTest {
    private static TestRegistry registry;
    private static RegistryHttp http;
    private static final List<String> TAGS = List.of("v10", "V2", "latest", "1.0", "_under", "Alpha", "beta", "v1");

    @BeforeAll
    static void start() {
        registry = TestRegistry.start();
        http = registry.http();
        TestBlob config = TestBlob.of("{\"os\":\"linux\"}");
        http.pushBlob("listing/app", config.content());
        TestBlob manifest = ManifestJson.ociImage(config).build();
        for (String tag : TAGS) {
            http.pushManifest("listing/app", tag, MediaTypes.OCI_MANIFEST, manifest.content());
        }
        for (String repository : List.of("catalog/b", "catalog/a", "catalog/c")) {
            http.pushBlob(repository, config.content());
            http.pushManifest(repository, manifest.digest().toString(), MediaTypes.OCI_MANIFEST, manifest.content());
        }
        http.pushBlob("catalog/blobs-only", config.content());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void baseEndpointAnswers200WithTheApiVersion() {
        HttpResponse<byte[]> response = http.get("/v2/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
    }

    @Test
    void tagsAreListedInByteOrder() {
        JsonNode body = RegistryHttp.json(http.get("/v2/listing/app/tags/list"));

        assertThat(body.path("name").asText()).isEqualTo("listing/app");
        assertThat(texts(body.path("tags"))).containsExactlyElementsOf(TAGS.stream().sorted().toList());
    }

    @Test
    void tagPagesFollowNAndLastWithALinkToTheNextPage() {
        List<String> sorted = TAGS.stream().sorted().toList();
        List<String> seen = new ArrayList<>();
        String next = "/v2/listing/app/tags/list?n=3";
        int pages = 0;
        while (next != null) {
            HttpResponse<byte[]> page = http.get(next);
            assertThat(page.statusCode()).isEqualTo(200);
            List<String> tags = texts(RegistryHttp.json(page).path("tags"));
            assertThat(tags.size()).isLessThanOrEqualTo(3);
            seen.addAll(tags);
            next = page.headers().firstValue("Link")
                    .map(link -> link.substring(link.indexOf('<') + 1, link.indexOf('>')))
                    .orElse(null);
            if (next != null) {
                assertThat(page.headers().firstValue("Link").orElseThrow()).endsWith("; rel=\"next\"");
            }
            pages++;
        }
        assertThat(seen).containsExactlyElementsOf(sorted);
        assertThat(pages).isEqualTo(3);

        JsonNode afterLast = RegistryHttp.json(http.get("/v2/listing/app/tags/list?last=" + sorted.get(4)));
        assertThat(texts(afterLast.path("tags"))).containsExactlyElementsOf(sorted.subList(5, sorted.size()));
        JsonNode bounded = RegistryHttp.json(http.get("/v2/listing/app/tags/list?n=2&last=" + sorted.get(1)));
        assertThat(texts(bounded.path("tags"))).containsExactlyElementsOf(sorted.subList(2, 4));
    }

    @Test
    void nOfZeroGivesAnEmptyList() {
        HttpResponse<byte[]> response = http.get("/v2/listing/app/tags/list?n=0");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(RegistryHttp.json(response).path("tags")).isEmpty();
        assertThat(response.headers().firstValue("Link")).isEmpty();
    }

    @Test
    void invalidNIs400() {
        assertThat(http.get("/v2/listing/app/tags/list?n=-1").statusCode()).isEqualTo(400);
        assertThat(http.get("/v2/listing/app/tags/list?n=many").statusCode()).isEqualTo(400);
    }

    @Test
    void tagListOfAnUnknownRepositoryIs404() {
        HttpResponse<byte[]> response = http.get("/v2/never/pushed/tags/list");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(RegistryHttp.errorCode(response)).isEqualTo("NAME_UNKNOWN");
    }

    @Test
    void catalogIsSortedAndPaged() {
        List<String> all = texts(RegistryHttp.json(http.get("/v2/_catalog")).path("repositories"));
        assertThat(all).containsSubsequence("catalog/a", "catalog/b", "catalog/c", "listing/app");
        assertThat(all).isSorted();

        HttpResponse<byte[]> first = http.get("/v2/_catalog?n=2");
        assertThat(texts(RegistryHttp.json(first).path("repositories"))).containsExactly("catalog/a", "catalog/b");
        assertThat(first.headers().firstValue("Link")).hasValue("</v2/_catalog?n=2&last=catalog/b>; rel=\"next\"");
        HttpResponse<byte[]> second = http.get("/v2/_catalog?n=2&last=catalog/b");
        assertThat(texts(RegistryHttp.json(second).path("repositories"))).containsExactly("catalog/c", "listing/app");
    }

    @Test
    void catalogLeavesOutRepositoriesWithoutManifests() {
        assertThat(texts(RegistryHttp.json(http.get("/v2/_catalog")).path("repositories")))
                .contains("catalog/a", "catalog/b", "catalog/c").doesNotContain("catalog/blobs-only");
        assertThat(texts(RegistryHttp.json(http.get("/v2/_catalog?n=1&last=catalog/b")).path("repositories")))
                .as("a page does not count it either").containsExactly("catalog/c");
    }

    @Test
    void invalidRepositoryNamesAre400NameInvalid() {
        for (String name : List.of("UPPER", "-lead", "trail-", "a//b", "x".repeat(300), "a/B")) {
            HttpResponse<byte[]> response = http.get("/v2/" + name + "/tags/list");
            assertThat(response.statusCode()).as(name).isEqualTo(400);
            if (!name.contains("//")) {
                assertThat(RegistryHttp.errorCode(response)).as(name).isEqualTo("NAME_INVALID");
            }
        }
        HttpResponse<byte[]> upload = http.post("/v2/Bad/Name/blobs/uploads/");
        assertThat(upload.statusCode()).isEqualTo(400);
        assertThat(RegistryHttp.errorCode(upload)).isEqualTo("NAME_INVALID");
    }

    @Test
    void unknownPathsAre404AndWrongMethodsAre405() {
        HttpResponse<byte[]> unknown = http.get("/v2/listing/app/unknown/thing");
        HttpResponse<byte[]> outside = http.get("/index.html");
        HttpResponse<byte[]> wrongMethod = http.post("/v2/listing/app/tags/list");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(outside.statusCode()).isEqualTo(404);
        assertThat(outside.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(RegistryHttp.errorCode(wrongMethod)).isEqualTo("UNSUPPORTED");
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
