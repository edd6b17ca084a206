package io.berth.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.testing.BerthProcess;
import io.berth.testing.Htpasswd;
import io.berth.testing.LoopbackPorts;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.S3ProxyServer;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Scale-out end to end, as {@code docs/scale-out.md} sets it up: three Berth processes, each with
 * {@code examples/scale-out.yml} (only the addresses of this machine's parts substituted), behind
 * HAProxy with the guide's backend (round robin, no sticky sessions, health checks), sharing S3Proxy
 * and PostgreSQL and nothing else, with the example's authentication on and no signing key
 * configured: each node signs with its own key, and a token one node issued is used on the others. skopeo pushes through the balancer, so the
 * requests of one upload land on different nodes; images pull from every node directly; a node
 * killed with SIGKILL in the middle of a push and a pull costs a client retry, not data. At the
 * end every blob in the bucket is re-hashed against its name.
 */
@Tag("clients")
class BalancedNodesIT {
    private static final Path EXAMPLE = Path.of("examples/scale-out.yml");
    private static final Path GUIDE = Path.of("docs/scale-out.md");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String URL = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_PASSWORD", "");
    private static final Pattern UPLOAD_ID = Pattern.compile("/blobs/uploads/([0-9a-f-]{36})");
    /** The one user of the cluster; every node signs tokens with a key of its own. */
    private static final String CREDENTIALS = "build:build-example-password";
    /**
     * How skopeo reports a transfer cut short by a killed node: the body ends early, or the balancer
     * answers 502 for a request the node had accepted when it died.
     */
    private static final Pattern CUT_TRANSFER = Pattern.compile("unexpected EOF|connection reset|broken pipe|: EOF|502 \\(?Bad Gateway");

    @TempDir
    Path temporary;
    private final String schema = "berth_balanced_" + UUID.randomUUID().toString().replace("-", "");
    private S3ProxyServer s3;
    private final List<BerthProcess> nodes = new ArrayList<>();
    private Process haproxy;
    private int balancerPort;
    private ContainersTool skopeo;

    @BeforeEach
    void startCluster() throws Exception {
        s3 = S3ProxyServer.start();
        Path htpasswd = Htpasswd.write(temporary.resolve("users.htpasswd"),
                java.util.Map.of("build", CREDENTIALS.substring(CREDENTIALS.indexOf(':') + 1)));
        String example = Files.readString(EXAMPLE);
        for (int i = 0; i < 3; i++) {
            Path config = temporary.resolve("node-" + i + ".yml");
            Files.writeString(config, nodeConfiguration(example, temporary.resolve("data-" + i), htpasswd));
            nodes.add(BerthProcess.startWithConfig(config, List.of("-Xmx256m")));
        }
        balancerPort = LoopbackPorts.free();
        List<String> servers = new ArrayList<>();
        for (BerthProcess node : nodes) {
            servers.add("127.0.0.1:" + node.uri().getPort());
        }
        Path haproxyConfig = temporary.resolve("haproxy.cfg");
        Files.writeString(haproxyConfig, """
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 120s
                    timeout server 120s
                    retries 3
                    option redispatch
                frontend registry
                    bind 127.0.0.1:%d
                    default_backend berth
                %s""".formatted(balancerPort, documentedBackend(Files.readString(GUIDE), servers)));
        haproxy = new ProcessBuilder("haproxy", "-db", "-f", haproxyConfig.toString())
                .redirectErrorStream(true).redirectOutput(temporary.resolve("haproxy.log").toFile()).start();
        LoopbackPorts.awaitListening(balancerPort, "haproxy");
        skopeo = ContainersTool.skopeo(ContainersSandbox.create(temporary.resolve("sandbox")));
    }

    @AfterEach
    void stopCluster() throws Exception {
        if (haproxy != null) {
            haproxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (BerthProcess node : nodes) {
            node.close();
        }
        s3.close();
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /**
     * {@code examples/scale-out.yml} as a node of this cluster runs it: only what names this
     * machine's parts changes (the data directory, PostgreSQL, the S3 endpoint and its keys, the
     * htpasswd file); the authentication section and everything else are the example's.
     */
    private String nodeConfiguration(String example, Path dataDirectory, Path htpasswd) throws IOException {
        ObjectNode node = (ObjectNode) YAML.readTree(example);
        node.put("data-dir", dataDirectory.toString());
        ObjectNode database = (ObjectNode) node.get("database");
        database.put("url", URL).put("user", USER).put("password", PASSWORD).put("schema", schema).put("pool-size", 4);
        ObjectNode storage = (ObjectNode) node.get("storage");
        storage.put("endpoint", s3.endpoint().toString()).put("region", S3ProxyServer.REGION).put("bucket", S3ProxyServer.BUCKET)
                .put("access-key", S3ProxyServer.ACCESS_KEY).put("secret-key", S3ProxyServer.SECRET_KEY);
        ((ObjectNode) node.get("auth")).put("htpasswd", htpasswd.toString());
        return YAML.writeValueAsString(node);
    }

    /**
     * The HAProxy backend {@code docs/scale-out.md} shows ("Load balancer"), with its example
     * addresses replaced by the nodes'.
     */
    static String documentedBackend(String guide, List<String> servers) {
        int start = guide.indexOf("\nbackend berth\n");
        assertThat(start).as("scale-out.md shows a backend named berth").isPositive();
        String block = guide.substring(start + 1, guide.indexOf("```", start));
        Matcher address = Pattern.compile("10\\.0\\.0\\.\\d+:5000").matcher(block);
        StringBuilder backend = new StringBuilder();
        int next = 0;
        while (address.find()) {
            assertThat(next).as("as many nodes in the guide as here").isLessThan(servers.size());
            address.appendReplacement(backend, servers.get(next++));
        }
        address.appendTail(backend);
        assertThat(next).as("as many nodes in the guide as here").isEqualTo(servers.size());
        return backend.toString();
    }

    @Test
    void pushesThroughTheBalancerSpreadUploadsAcrossNodesAndPullFromEveryNode() throws Exception {
        OciLayout layout = image("spread", 4 * 1024 * 1024, 21);

        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", CREDENTIALS, "oci:" + layout.root() + ":1", balanced("spread/app:1"));

        assertThat(uploadsSeenOnSeveralNodes()).as("one upload's requests served by more than one node").isNotEmpty();
        String expected = manifestDigest(balanced("spread/app:1"));
        for (BerthProcess node : nodes) {
            String direct = "docker://127.0.0.1:" + node.uri().getPort() + "/spread/app:1";
            assertThat(manifestDigest(direct)).isEqualTo(expected);
            Path out = temporary.resolve("out-" + node.uri().getPort());
            skopeo.succeed("copy", "--src-tls-verify=false", "--src-creds", CREDENTIALS, direct, "oci:" + out + ":1");
        }
        assertEveryBlobMatchesItsName();
    }

    @Test
    void killingANodeMidPushAndMidPullLosesNothing() throws Exception {
        OciLayout large = image("kill", 24 * 1024 * 1024, 31);
        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", CREDENTIALS, "oci:" + image("warm", 1024 * 1024, 32).root() + ":1",
                balanced("warm/app:1"));

        CompletableFuture<ToolRun> push = CompletableFuture.supplyAsync(() -> runAgainAfterCutConnections("copy",
                "--retry-times", "5", "--dest-tls-verify=false", "--dest-creds", CREDENTIALS, "oci:" + large.root() + ":1",
                balanced("kill/app:1")));
        Thread.sleep(300);
        nodes.get(1).kill();
        push.get(4, TimeUnit.MINUTES).assertSucceeded();

        CompletableFuture<ToolRun> pull = CompletableFuture.supplyAsync(() -> runAgainAfterCutConnections("copy",
                "--retry-times", "5", "--src-tls-verify=false", "--src-creds", CREDENTIALS, balanced("kill/app:1"),
                "oci:" + temporary.resolve("pulled") + ":1"));
        Thread.sleep(200);
        nodes.get(2).kill();
        pull.get(4, TimeUnit.MINUTES).assertSucceeded();

        String expected = manifestDigest(balanced("kill/app:1"));
        String survivor = "docker://127.0.0.1:" + nodes.get(0).uri().getPort() + "/kill/app:1";
        assertThat(manifestDigest(survivor)).isEqualTo(expected);
        skopeo.succeed("copy", "--src-tls-verify=false", "--src-creds", CREDENTIALS, survivor, "oci:" + temporary.resolve("again") + ":1");
        assertEveryBlobMatchesItsName();
    }

    /**
     * Runs skopeo up to three times. A node killed while it streams a response cuts the body short
     * behind the balancer; skopeo 1.9 retries failed requests ({@code --retry-times}) but not a body
     * that ends early, so the user runs the command again. Only such cut transfers may fail: an
     * attempt that fails any other way (a digest mismatch above all) is returned at once.
     */
    private ToolRun runAgainAfterCutConnections(String... arguments) {
        ToolRun run = skopeo.run(arguments);
        for (int attempt = 2; attempt <= 3 && !run.succeeded() && CUT_TRANSFER.matcher(run.stderr()).find()
                && !run.stderr().contains("did not match"); attempt++) {
            System.err.println("BalancedNodesIT: attempt " + attempt + " after a cut transfer\n" + run.transcript());
            pauseWhileTheBalancerNoticesTheDeadNode();
            run = skopeo.run(arguments);
        }
        return run;
    }

    /** Two failed checks 2 s apart (the guide's backend) take a dead node out of the balancer; a person retrying waits as long. */
    private static void pauseWhileTheBalancerNoticesTheDeadNode() {
        try {
            Thread.sleep(4500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private OciLayout image(String name, int payloadBytes, long seed) {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("layout-" + name));
        return builder.tag("1", SampleImages.application(builder, io.berth.testing.Platform.LINUX_AMD64, payloadBytes, seed)).write();
    }

    private String balanced(String repositoryAndTag) {
        return "docker://127.0.0.1:" + balancerPort + "/" + repositoryAndTag;
    }

    private String manifestDigest(String reference) {
        String raw = skopeo.succeed("inspect", "--tls-verify=false", "--creds", CREDENTIALS, "--raw", reference).stdout();
        return Digest.of(DigestAlgorithm.SHA256, raw.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Upload session ids that appear in the access logs of more than one node. */
    private Set<String> uploadsSeenOnSeveralNodes() throws IOException {
        List<Set<String>> perNode = new ArrayList<>();
        for (BerthProcess node : nodes) {
            Set<String> ids = new HashSet<>();
            Matcher matcher = UPLOAD_ID.matcher(node.output());
            while (matcher.find()) {
                ids.add(matcher.group(1));
            }
            perNode.add(ids);
        }
        Set<String> shared = new HashSet<>();
        for (int i = 0; i < perNode.size(); i++) {
            for (int j = i + 1; j < perNode.size(); j++) {
                Set<String> both = new HashSet<>(perNode.get(i));
                both.retainAll(perNode.get(j));
                shared.addAll(both);
            }
        }
        return shared;
    }

    /** Every object under {@code blobs/} in the bucket hashes to the digest its key names. */
    private void assertEveryBlobMatchesItsName() throws Exception {
        List<S3Object> objects = s3.client().listObjectsV2Paginator(builder -> builder.bucket(S3ProxyServer.BUCKET)
                .prefix("blobs/")).contents().stream().toList();
        assertThat(objects).isNotEmpty();
        for (S3Object object : objects) {
            MessageDigest hash = DigestAlgorithm.SHA256.newMessageDigest();
            try (InputStream in = s3.client().getObject(builder -> builder.bucket(S3ProxyServer.BUCKET).key(object.key()))) {
                byte[] buffer = new byte[1 << 20];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    hash.update(buffer, 0, read);
                }
            }
            String name = object.key().substring(object.key().lastIndexOf('/') + 1);
            assertThat(Digest.fromHash(DigestAlgorithm.SHA256, hash.digest()).encoded()).as(object.key()).isEqualTo(name);
        }
    }
}
