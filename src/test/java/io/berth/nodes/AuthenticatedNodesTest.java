package io.berth.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.AuthConfig;
import io.berth.config.BerthConfig;
import io.berth.config.DatabaseConfig;
import io.berth.server.BerthServer;
import io.berth.testing.Htpasswd;
import io.berth.testing.LogCapture;
import io.berth.testing.PostgresqlSchema;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes with authentication over one PostgreSQL schema, each with a token-signing key it
 * generated in its own data directory and nothing configured to share it: a token either node
 * issued is accepted by the other, as a client behind a round-robin balancer needs. A node with a
 * database of its own refuses such a token and says in its log why.
 */
class AuthenticatedNodesTest {
    private static final String ROBOT_PASSWORD = "build-example-password";

    private final PostgresqlSchema schema = PostgresqlSchema.named("berth_auth_nodes_");
    private Path directory;
    private BerthServer first;
    private BerthServer second;

    @BeforeEach
    void startTwoNodes() throws Exception {
        directory = Files.createTempDirectory("berth-auth-nodes-");
        DatabaseConfig database = schema.database(4);
        first = BerthServer.start(node("a").withDatabase(database));
        second = BerthServer.start(node("b").withDatabase(database));
    }

    @AfterEach
    void stopNodes() throws Exception {
        first.close();
        second.close();
        TestRegistry.deleteRecursively(directory);
        schema.close();
    }

    @Test
    void eachNodeSignsWithItsOwnKey() {
        assertThat(Path.of(directory.toString(), "a", "auth", "token-signing-key.jwk.json")).exists();
        assertThat(Path.of(directory.toString(), "b", "auth", "token-signing-key.jwk.json")).exists();
        assertThat(keyId(token(first))).isNotEqualTo(keyId(token(second)));
    }

    @Test
    void aTokenFromOneNodeIsAcceptedByTheOtherForPullsAndPushes() {
        RegistryHttp fromFirst = new RegistryHttp(second.uri()).withHeader("Authorization", "Bearer " + token(first));
        RegistryHttp fromSecond = new RegistryHttp(first.uri()).withHeader("Authorization", "Bearer " + token(second));
        TestBlob layer = TestBlob.random(4000, 3);

        assertThat(fromFirst.get("/v2/").statusCode()).isEqualTo(200);
        fromFirst.pushBlob("candidate/app", layer.content());

        // The nodes share the database but not blob storage here: the first node knows the blob, the second holds its bytes.
        HttpResponse<byte[]> checked = fromSecond.head("/v2/candidate/app/blobs/" + layer.digest());
        assertThat(checked.statusCode()).isEqualTo(200);
        assertThat(checked.headers().firstValue("Docker-Content-Digest")).hasValue(layer.digest().toString());
    }

    @Test
    void aNodeWithADatabaseOfItsOwnRefusesTheTokenAndLogsWhy() throws Exception {
        try (BerthServer alone = BerthServer.start(node("alone"));
             LogCapture log = LogCapture.start()) {
            HttpResponse<byte[]> refused = new RegistryHttp(alone.uri())
                    .withHeader("Authorization", "Bearer " + token(first)).get("/v2/");

            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(log.lines("WARN", "TokenService")).singleElement().asString()
                    .contains(keyId(token(first)), "auth.signing-key");
        }
    }

    private BerthConfig node(String name) {
        Path htpasswd = directory.resolve("users.htpasswd");
        if (!Files.exists(htpasswd)) {
            Htpasswd.write(htpasswd, Map.of("build", ROBOT_PASSWORD));
        }
        AuthConfig auth = new AuthConfig("berth", "berth", null, 300, null, htpasswd.toString(), Map.of(), List.of(
                new AuthConfig.PolicyRuleConfig("**", List.of("build"), null, null, null, null, List.of("pull", "push"))),
                List.of());
        return new BerthConfig("127.0.0.1:0", directory.resolve(name).toString(), false, 5).withAuth(auth);
    }

    /** A token for pushes and pulls of {@code candidate/app}, from {@code node}'s token endpoint. */
    private static String token(BerthServer node) {
        HttpResponse<byte[]> response = new RegistryHttp(node.uri())
                .withHeader("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString(("build:" + ROBOT_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .get("/auth/token?service=berth&scope=repository:candidate/app:pull,push");
        assertThat(response.statusCode()).isEqualTo(200);
        return RegistryHttp.json(response).path("token").asText();
    }

    private static String keyId(String token) {
        String header = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0]),
                java.nio.charset.StandardCharsets.UTF_8);
        return header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
    }
}
