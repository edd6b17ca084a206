package io.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.berth.testing.Htpasswd;
import io.berth.testing.LoopbackPorts;
import io.berth.testing.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Berth as {@code deploy/ansible/site.yml} deploys it, on this machine: three nodes and one HAProxy,
 * each an inventory host with {@code ansible_connection: local} and ports and paths of its own under
 * one directory, so that they coexist. No systemd runs as PID 1 here, so both roles run with their
 * service manager {@code process}: the units are rendered all the same, and the same command lines
 * are started by {@code start-stop-daemon} and {@code haproxy -D}. The nodes share a PostgreSQL
 * database made for this cluster and the S3Proxy they are given; the database password, the S3 keys,
 * the shared token-signing key and the users are in {@code group_vars/all/vault.yml}, encrypted with
 * {@code ansible-vault}.
 */
final class AnsibleCluster implements AutoCloseable {
    static final Path PLAYBOOK = Path.of("deploy/ansible/site.yml").toAbsolutePath();
    /** The user allowed to push; everyone may pull. */
    static final String PUSHER = "build";
    static final String PUSHER_PASSWORD = "build-ansible-password";
    private static final int NODES = 3;
    private static final String ADMIN_URL = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String DATABASE_USER = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_USER", "postgres");
    private static final String DATABASE_PASSWORD = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_PASSWORD", "");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    /** A PLAY RECAP line: {@code node0 : ok=17 changed=0 unreachable=0 failed=0 …}. */
    private static final Pattern RECAP = Pattern.compile("(?m)^(\\S+)\\s+:\\s+ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)");
    private static final Duration PLAYBOOK_TIMEOUT = Duration.ofMinutes(6);

    private final Path root;
    private final S3ProxyServer s3;
    private final String database = "berth_ansible_" + UUID.randomUUID().toString().replace("-", "");
    private final List<Node> nodes = new ArrayList<>();
    private final int balancerPort;
    private final boolean serviceUserExisted;

    /**
     * One Berth node.
     *
     * @param name      its inventory name, which is also its server name in HAProxy
     * @param port      where it listens on 127.0.0.1
     * @param directory where its installation, configuration, data, units, pid file and log live
     */
    record Node(String name, int port, Path directory) {
        Path installDirectory() {
            return directory.resolve("opt");
        }

        Path currentLink() {
            return installDirectory().resolve("current");
        }

        Path unitDirectory() {
            return directory.resolve("systemd");
        }

        Path pidFile() {
            return directory.resolve("run/berth.pid");
        }

        Path logFile() {
            return directory.resolve("log/berth.log");
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + port);
        }
    }

    /**
     * One run of {@code ansible-playbook}.
     *
     * @param changedByHost the {@code changed=} count of every host in the PLAY RECAP
     */
    record PlaybookRun(int exitCode, String output, Duration elapsed, Map<String, Integer> changedByHost, Map<String, Integer> failedByHost) {
    }

    private AnsibleCluster(Path root, S3ProxyServer s3) throws IOException, InterruptedException {
        this.root = root;
        this.s3 = s3;
        for (int i = 0; i < NODES; i++) {
            nodes.add(new Node("node" + i, LoopbackPorts.free(), root.resolve("node" + i)));
        }
        this.balancerPort = LoopbackPorts.free();
        this.serviceUserExisted = run(List.of("getent", "passwd", "berth")).exitCode() == 0;
    }

    /**
     * Creates the database and writes the inventory (hosts, variables, the encrypted vault and its
     * password file) for {@code release}, a {@code berth-VERSION.tar.gz}. Nothing runs yet.
     */
    static AnsibleCluster prepare(Path root, S3ProxyServer s3, Path release) throws Exception {
        AnsibleCluster cluster = new AnsibleCluster(root, s3);
        cluster.createDatabase();
        cluster.writeInventory(release);
        return cluster;
    }

    List<Node> nodes() {
        return nodes;
    }

    URI balancer() {
        return URI.create("http://127.0.0.1:" + balancerPort);
    }

    String balancerHostPort() {
        return "127.0.0.1:" + balancerPort;
    }

    Path mirrorTree() {
        return root.resolve("mirror-tree");
    }

    /** The version a release archive's name carries: {@code berth-VERSION.tar.gz}. */
    static String version(Path release) {
        String name = release.getFileName().toString();
        assertThat(name).matches("berth-.+\\.tar\\.gz");
        return name.substring("berth-".length(), name.length() - ".tar.gz".length());
    }

    /** Points the inventory at another release, as an operator changes {@code berth_version}. */
    void useRelease(Path release) throws IOException {
        Map<String, Object> all = YAML.readValue(inventory().resolve("group_vars/all/main.yml").toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
        all.put("berth_version", version(release));
        all.put("berth_archive", release.toString());
        YAML.writeValue(inventory().resolve("group_vars/all/main.yml").toFile(), all);
    }

    /** Runs {@code site.yml} over the inventory, with the vault's password file. */
    PlaybookRun runPlaybook(String label) throws Exception {
        Path log = root.resolve("ansible-" + label + ".log");
        ProcessBuilder builder = new ProcessBuilder("ansible-playbook", "-i", inventory().toString(),
                "--vault-password-file", vaultPasswordFile().toString(), PLAYBOOK.toString())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        ansibleEnvironment(builder.environment());
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(PLAYBOOK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("ansible-playbook ran longer than " + PLAYBOOK_TIMEOUT + "\n" + Files.readString(log));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        String output = Files.readString(log);
        Map<String, Integer> changed = new LinkedHashMap<>();
        Map<String, Integer> failed = new LinkedHashMap<>();
        Matcher recap = RECAP.matcher(output.substring(Math.max(0, output.lastIndexOf("PLAY RECAP"))));
        while (recap.find()) {
            changed.put(recap.group(1), Integer.parseInt(recap.group(3)));
            failed.put(recap.group(1), Integer.parseInt(recap.group(4)) + Integer.parseInt(recap.group(5)));
        }
        return new PlaybookRun(process.exitValue(), output, elapsed, changed, failed);
    }

    /** The pid in a pid file, when the file exists. */
    static Optional<Long> pid(Path pidFile) {
        try {
            return Files.exists(pidFile) ? Optional.of(Long.parseLong(Files.readString(pidFile).strip())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops every process the playbook started (by their pid files), drops the database, and removes
     * the service user when it did not exist before. Each step runs even when an earlier one fails.
     */
    @Override
    public void close() throws Exception {
        List<Path> pidFiles = new ArrayList<>();
        nodes.forEach(node -> pidFiles.add(node.pidFile()));
        pidFiles.add(balancerPidFile());
        for (Path pidFile : pidFiles) {
            pid(pidFile).flatMap(ProcessHandle::of).ifPresent(AnsibleCluster::stop);
        }
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, DATABASE_USER, DATABASE_PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } finally {
            if (!serviceUserExisted) {
                run(List.of("userdel", "berth"));
                run(List.of("groupdel", "berth"));
            }
        }
    }

    private static void stop(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(40, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    private void createDatabase() throws Exception {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, DATABASE_USER, DATABASE_PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
    }

    private Path inventory() {
        return root.resolve("inventory");
    }

    private Path vaultPasswordFile() {
        return root.resolve("vault-password");
    }

    private Path balancerPidFile() {
        return root.resolve("haproxy/haproxy.pid");
    }

    private void writeInventory(Path release) throws Exception {
        Files.createDirectories(inventory().resolve("group_vars/all"));
        Map<String, Object> nodeHosts = new LinkedHashMap<>();
        for (Node node : nodes) {
            Map<String, Object> host = new LinkedHashMap<>();
            host.put("berth_port", node.port());
            host.put("berth_balancer_node_address", "127.0.0.1");
            host.put("berth_install_dir", node.installDirectory().toString());
            host.put("berth_config_dir", node.directory().resolve("etc").toString());
            host.put("berth_data_dir", node.directory().resolve("data").toString());
            host.put("berth_systemd_dir", node.unitDirectory().toString());
            host.put("berth_pid_file", node.pidFile().toString());
            host.put("berth_log_file", node.logFile().toString());
            nodeHosts.put(node.name(), host);
        }
        Map<String, Object> balancer = new LinkedHashMap<>();
        balancer.put("berth_balancer_config_file", root.resolve("haproxy/haproxy.cfg").toString());
        balancer.put("berth_balancer_socket", root.resolve("haproxy/admin.sock").toString());
        balancer.put("berth_balancer_pid_file", balancerPidFile().toString());
        balancer.put("berth_balancer_listen_address", "127.0.0.1");
        balancer.put("berth_balancer_port", balancerPort);
        Map<String, Object> hosts = Map.of("all", Map.of(
                "vars", Map.of("ansible_connection", "local", "ansible_python_interpreter", "/usr/bin/python3"),
                "children", Map.of(
                        "berth_balancers", Map.of("hosts", Map.of("balancer", balancer)),
                        "berth_nodes", Map.of("hosts", nodeHosts))));
        YAML.writeValue(inventory().resolve("hosts.yml").toFile(), hosts);

        Map<String, Object> all = new LinkedHashMap<>();
        all.put("berth_version", version(release));
        all.put("berth_archive", release.toString());
        all.put("berth_service_manager", "process");
        all.put("berth_balancer_service_manager", "process");
        all.put("berth_balancer_install_package", false);
        all.put("berth_balancer_user", "");
        all.put("berth_listen_address", "127.0.0.1");
        all.put("berth_trusted_proxies", List.of("127.0.0.1/32"));
        all.put("berth_database_url", "jdbc:postgresql://127.0.0.1:5432/" + database);
        all.put("berth_database_user", DATABASE_USER);
        all.put("berth_database_pool_size", 4);
        all.put("berth_s3_endpoint", s3.endpoint().toString());
        all.put("berth_s3_region", S3ProxyServer.REGION);
        all.put("berth_s3_bucket", S3ProxyServer.BUCKET);
        all.put("berth_auth_policy", List.of(
                Map.of("repositories", "**", "anonymous", true, "authenticated", true, "actions", List.of("pull")),
                Map.of("repositories", "**", "users", List.of(PUSHER), "actions", List.of("pull", "push"))));
        all.put("berth_mirror_export_enabled", true);
        all.put("berth_mirror_export_directory", mirrorTree().toString());
        YAML.writeValue(inventory().resolve("group_vars/all/main.yml").toFile(), all);

        Map<String, Object> vault = new LinkedHashMap<>();
        vault.put("berth_database_password", DATABASE_PASSWORD.isEmpty() ? "unused-with-trust-authentication" : DATABASE_PASSWORD);
        vault.put("berth_s3_access_key", S3ProxyServer.ACCESS_KEY);
        vault.put("berth_s3_secret_key", S3ProxyServer.SECRET_KEY);
        vault.put("berth_auth_signing_key", signingKeyPem());
        vault.put("berth_htpasswd", Htpasswd.line(PUSHER, PUSHER_PASSWORD) + "\n");
        Path vaultFile = inventory().resolve("group_vars/all/vault.yml");
        YAML.writeValue(vaultFile.toFile(), vault);
        Files.writeString(vaultPasswordFile(), UUID.randomUUID() + "\n");
        ProcessResult encrypted = run(List.of("ansible-vault", "encrypt", "--vault-password-file", vaultPasswordFile().toString(),
                vaultFile.toString()));
        assertThat(encrypted.exitCode()).as(encrypted.output()).isZero();
        assertThat(Files.readString(vaultFile)).as("the vault file is encrypted").startsWith("$ANSIBLE_VAULT;");
    }

    /** A fresh EC P-256 private key in PKCS#8 PEM, as auth.signing-key takes it. */
    private static String signingKeyPem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] encoded = generator.generateKeyPair().getPrivate().getEncoded();
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(encoded)
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** What Ansible's programs run with here: no colours, no retry files, each task's duration. */
    static void ansibleEnvironment(Map<String, String> environment) {
        environment.put("ANSIBLE_NOCOLOR", "1");
        environment.put("NO_COLOR", "1");
        environment.put("ANSIBLE_RETRY_FILES_ENABLED", "false");
        environment.put("ANSIBLE_STDOUT_CALLBACK", "default");
        environment.put("PYTHONUNBUFFERED", "1");
        environment.put("ANSIBLE_CALLBACKS_ENABLED", "ansible.posix.profile_tasks");
    }

    /** The exit status and the merged output of a short command. */
    record ProcessResult(int exitCode, String output) {
    }

    static ProcessResult run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " ran longer than 2 minutes\n" + output);
        }
        return new ProcessResult(process.exitValue(), output);
    }
}
