package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.AuthConfig;
import io.berth.config.AuthConfig.PolicyRuleConfig;
import io.berth.config.PromotionConfig;
import io.berth.testing.Htpasswd;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tag protection with authentication: users {@code alice} and {@code bob} may both pull, push,
 * delete and promote ({@code candidate/*} to {@code fedora/*}) everywhere; in {@code fedora/*} the tag {@code stable} is protected for {@code alice}, and
 * {@code 41.*} is immutable even for her.
 */
class TagProtectionAuthApiTest {
    private static Path users;
    private static TestRegistry registry;
    private static RegistryHttp alice;
    private static RegistryHttp bob;

    @BeforeAll
    static void start() throws Exception {
        users = Files.createTempDirectory("berth-tag-protection-");
        Path htpasswd = Htpasswd.write(users.resolve("users.htpasswd"), Map.of("alice", "alice-password", "bob", "bob-password"));
        AuthConfig auth = new AuthConfig("berth", "berth", null, 300, null, htpasswd.toString(), Map.of(),
                List.of(new PolicyRuleConfig("**", null, null, null, null, true, List.of("pull", "push", "delete", "promote"))), List.of());
        registry = TestRegistry.start(config -> config.withAuth(auth).withTagProtection(List.of(TagProtectionApiTest.FEDORA))
                .withPromotion(new PromotionConfig(List.of(new PromotionConfig.Namespace("candidate/*", "fedora/*")), null)));
        alice = registry.http().withHeader("Authorization", basic("alice", "alice-password"));
        bob = registry.http().withHeader("Authorization", basic("bob", "bob-password"));
    }

    @AfterAll
    static void stop() {
        try {
            registry.close();
        } finally {
            TestRegistry.deleteRecursively(users);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void onlyANamedPrincipalSetsMovesOrDeletesAProtectedTag() {
        TestBlob first = TagProtectionApiTest.image(alice, "fedora/app", 1);
        TestBlob second = TagProtectionApiTest.image(alice, "fedora/app", 2);

        TagProtectionApiTest.assertDenied(TagProtectionApiTest.put(bob, "fedora/app", "stable", first),
                "fedora/app:stable", "protected", "bob", "alice");
        assertThat(TagProtectionApiTest.put(alice, "fedora/app", "stable", first).statusCode()).isEqualTo(201);
        TagProtectionApiTest.assertDenied(TagProtectionApiTest.put(bob, "fedora/app", "stable", second), "bob");
        TagProtectionApiTest.assertDenied(bob.delete("/v2/fedora/app/manifests/stable"), "bob");
        TagProtectionApiTest.assertDenied(bob.delete("/v2/fedora/app/manifests/" + first.digest()), "fedora/app:stable");
        assertThat(TagProtectionApiTest.digestOf(bob, "fedora/app", "stable")).isEqualTo(first.digest().toString());

        assertThat(TagProtectionApiTest.put(bob, "fedora/app", "stable", first).statusCode())
                .as("pushing the digest the tag already has changes nothing").isEqualTo(201);
        assertThat(TagProtectionApiTest.put(alice, "fedora/app", "stable", second).statusCode()).isEqualTo(201);
        assertThat(TagProtectionApiTest.digestOf(bob, "fedora/app", "stable")).isEqualTo(second.digest().toString());
        assertThat(alice.delete("/v2/fedora/app/manifests/stable").statusCode()).isEqualTo(202);
        assertThat(bob.put("/v2/fedora/app/manifests/" + first.digest() + "?tag=testing", io.berth.oci.MediaTypes.OCI_MANIFEST,
                first.content()).statusCode()).as("bob's unprotected tags are his to set").isEqualTo(201);
    }

    @Test
    void anImmutableTagIsNotMovedEvenByAPrincipal() {
        TestBlob first = TagProtectionApiTest.image(alice, "fedora/tools", 3);
        TestBlob second = TagProtectionApiTest.image(alice, "fedora/tools", 4);
        assertThat(TagProtectionApiTest.put(bob, "fedora/tools", "41.1", first).statusCode()).isEqualTo(201);

        TagProtectionApiTest.assertDenied(TagProtectionApiTest.put(alice, "fedora/tools", "41.1", second), "immutable");
        TagProtectionApiTest.assertDenied(alice.delete("/v2/fedora/tools/manifests/41.1"), "immutable");

        assertThat(TagProtectionApiTest.digestOf(alice, "fedora/tools", "41.1")).isEqualTo(first.digest().toString());
    }

    @Test
    void onlyANamedPrincipalPromotesToAProtectedTag() {
        TestBlob candidate = TagProtectionApiTest.image(bob, "candidate/db", 5);
        assertThat(TagProtectionApiTest.put(bob, "candidate/db", "1", candidate).statusCode()).isEqualTo(201);
        byte[] request = "{\"source\":\"candidate/db:1\",\"targets\":[\"fedora/db:stable\"]}".getBytes(StandardCharsets.UTF_8);

        HttpResponse<byte[]> refused = bob.post("/berth/v1/promotions", request);
        HttpResponse<byte[]> promoted = alice.post("/berth/v1/promotions", request);

        assertThat(refused.statusCode()).as(RegistryHttp.text(refused)).isEqualTo(409);
        assertThat(RegistryHttp.json(refused).path("gates")).anySatisfy(gate -> {
            assertThat(gate.path("gate").asText()).isEqualTo("tag protection");
            assertThat(gate.path("passed").asBoolean()).isFalse();
            assertThat(gate.path("reason").asText()).contains("fedora/db:stable", "bob");
        });
        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isEqualTo(201);
        assertThat(TagProtectionApiTest.digestOf(bob, "fedora/db", "stable")).isEqualTo(candidate.digest().toString());
    }
}
