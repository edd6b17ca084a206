package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.BerthConfig;
import io.berth.config.ConfigLoader;
import io.berth.mirror.Mirror;
import io.berth.testing.RegistryHttp;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code examples/mirrors.yml} is a configuration Berth starts with, declaring what its comments say. */
class MirrorsExampleTest {

    @TempDir
    Path temporary;

    @Test
    void theExampleDeclaresAPrivateCampusMirrorAPublicOneAndACdn() {
        BerthConfig config = ConfigLoader.load(Path.of("examples/mirrors.yml"));

        List<Mirror> mirrors = config.mirrors().list().stream().map(MirrorSetup::mirror).toList();

        assertThat(mirrors).extracting(Mirror::name).containsExactly("campus", "global");
        assertThat(mirrors.get(0).privateMirror()).isTrue();
        assertThat(mirrors.get(0).netblocks()).extracting(Object::toString).containsExactly("10.20.0.0/16");
        assertThat(mirrors.get(0).continent()).hasValue("EU");
        assertThat(mirrors.get(1).privateMirror()).isFalse();
        assertThat(config.mirrors().cdn()).hasValue("http://127.0.0.1:8090/");
        assertThat(config.trustedProxies()).containsExactly("127.0.0.1/32", "::1/128");
    }

    @Test
    void berthStartsWithTheExampleAndListsItsPublicMirror() throws Exception {
        BerthConfig config = ConfigLoader.load(Path.of("examples/mirrors.yml"))
                .withListen("127.0.0.1:0").withDataDir(temporary.toString());
        try (BerthServer server = BerthServer.start(config)) {
            RegistryHttp http = new RegistryHttp(server.uri());

            assertThat(RegistryHttp.json(http.get("/berth/v1/mirrors")).path("mirrors"))
                    .extracting(node -> node.path("name").asText())
                    .as("an open registry on loopback: every caller administers it").containsExactly("campus", "global");
        }
    }
}
