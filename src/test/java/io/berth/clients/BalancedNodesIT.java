package io.berth.clients;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Scale-out end to end: three Berth processes behind HAProxy (round robin, no sticky sessions),
 * sharing S3Proxy and PostgreSQL and nothing else, with authentication on and no signing key
 * configured: each node signs with its own key, and a token one node issued is used on the others. skopeo pushes through the balancer, so the
 * requests of one upload land on different nodes; images pull from every node directly; a node
 * killed with SIGKILL in the middle of a push and a pull costs a client retry, not data. At the
 * end every blob in the bucket is re-hashed against its name.
 */
@Tag("clients")
class BalancedNodesIT {
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
        for (int i = 0; i < 3; i++) {
            Path config = temporary.resolve("node-" + i + ".yml");
            Files.writeString(config, """
                    data-dir: %s
                    database:
                      url: %s
                      user: %s
                      password: "%s"
                      schema: %s
                      pool-size: 4
                    storage:
                      type: s3
                      endpoint: %s
                      region: %s
                      bucket: %s
                      access-key: %s
                      secret-key: %s
                    auth:
                      service: berth
                      issuer: berth
                      htpasswd: %s
                      policy:
                        - repositories: "**"
                          users: [build]
                          actions: [pull, push]
                    """.formatted(temporary.resolve("data-" + i), URL, USER, PASSWORD, schema, s3.endpoint(),
                    S3ProxyServer.REGION, S3ProxyServer.BUCKET, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY,
                    htpasswd));
            nodes.add(BerthProcess.startWithConfig(config, List.of("-Xmx256m")));
        }
        balancerPort = LoopbackPorts.free();
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            servers.append("    server node").append(i).append(" 127.0.0.1:").append(nodes.get(i).uri().getPort())
                    .append(" check inter 500ms fall 2 rise 1\n");
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
                backend berth
                    balance roundrobin
                    option httpchk GET /berth/v1/health
                %s""".formatted(balancerPort, servers));
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

    /** Two failed checks 500 ms apart take a dead node out of the balancer; a person retrying waits as long. */
    private static void pauseWhileTheBalancerNoticesTheDeadNode() {
        try {
            Thread.sleep(1500);
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
