package io.berth.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.berth.testing.BerthProcess;
import io.berth.testing.RegistryHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Berth serving {@code examples/locked-down.yml}, as an operator runs it: a separate process from
 * the packaged jar, with robot accounts made by {@code berth robot create}. The example is copied
 * into a temporary directory with its {@code data-dir} and {@code htpasswd} pointing there; its
 * {@code auth} section (groups, policy) is used unchanged, and {@code --listen} picks a free port.
 *
 * <p>The example's arrangement: anyone may pull everything except {@code candidate/**}; robot
 * {@code osbs} pulls and pushes {@code candidate/**}; group {@code releng} (user releng) pulls and
 * promotes {@code candidate/**}; user admin may do anything anywhere.
 */
final class LockedDownBerth implements AutoCloseable {
    static final Credentials RELENG = new Credentials("releng", "releng-example-password");
    static final Credentials ADMIN = new Credentials("admin", "admin-example-password");
    /** The robot the example's policy lets push to {@code candidate/**}. */
    static final String BUILD_ROBOT = "osbs";

    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(1);
    private static final Pattern SECRET_LINE = Pattern.compile("(?m)^secret:\\s+(\\S+)$");
    private static final Pattern USER_LINE = Pattern.compile("(?m)^user name:\\s+(\\S+)$");

    private final Path directory;
    private final Path config;
    private final BerthProcess process;
    private final Credentials buildRobot;

    private LockedDownBerth(Path directory, Path config, BerthProcess process, Credentials buildRobot) {
        this.directory = directory;
        this.config = config;
        this.process = process;
        this.buildRobot = buildRobot;
    }

    /**
     * Copies the example into {@code directory}, creates robot {@code osbs} with the CLI, and starts
     * Berth on it.
     */
    static LockedDownBerth start(Path directory) {
        return start(directory, example -> {
        });
    }

    /** As {@link #start(Path)}, with the example's YAML changed by {@code change} first (a gate added, say). */
    static LockedDownBerth start(Path directory, java.util.function.Consumer<ObjectNode> change) {
        try {
            Path config = copyExample(directory, change);
            Credentials buildRobot = createRobot(config, directory, BUILD_ROBOT);
            BerthProcess process = BerthProcess.startWithConfig(config, List.of("-Xmx256m"));
            return new LockedDownBerth(directory, config, process, buildRobot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code examples/locked-down.yml} with its data directory and htpasswd file moved into {@code directory}. */
    private static Path copyExample(Path directory, java.util.function.Consumer<ObjectNode> change) throws IOException {
        Path examples = Path.of(System.getProperty("berth.root", ".")).resolve("examples");
        Path htpasswd = Files.copy(examples.resolve("locked-down.htpasswd"), directory.resolve("locked-down.htpasswd"));
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode example = (ObjectNode) yaml.readTree(examples.resolve("locked-down.yml").toFile());
        example.put("data-dir", directory.resolve("data").toString());
        ((ObjectNode) example.required("auth")).put("htpasswd", htpasswd.toString());
        change.accept(example);
        Path config = directory.resolve("locked-down.yml");
        yaml.writeValue(config.toFile(), example);
        return config;
    }

    /**
     * Runs {@code berth robot create NAME --config FILE} and reads the user name and the secret it
     * prints once.
     */
    private static Credentials createRobot(Path config, Path directory, String name) {
        ToolRun run = berthCommand(directory, "robot", "create", name, "--config", config.toString()).assertSucceeded();
        Matcher user = USER_LINE.matcher(run.stdout());
        Matcher secret = SECRET_LINE.matcher(run.stdout());
        assertThat(user.find()).as(run.transcript()).isTrue();
        assertThat(secret.find()).as(run.transcript()).isTrue();
        assertThat(user.group(1)).isEqualTo("robot$" + name);
        return new Credentials(user.group(1), secret.group(1));
    }

    private static ToolRun berthCommand(Path directory, String... arguments) {
        List<String> command = BerthProcess.javaCommand(List.of());
        ExternalTool java = new ExternalTool(command.getFirst(), "run the tests with a JDK.", Map.of(),
                directory.resolve("cli"));
        List<String> all = new ArrayList<>(command.subList(1, command.size()));
        all.addAll(List.of(arguments));
        return java.run(COMMAND_TIMEOUT, all);
    }

    /** Robot {@code osbs}, created before Berth started. */
    Credentials buildRobot() {
        return buildRobot;
    }

    /** Creates another robot while Berth runs; the policy of the example grants it only what every authenticated caller gets. */
    Credentials createRobot(String name) {
        return createRobot(config, directory, name);
    }

    /** Runs {@code berth robot revoke NAME --config FILE} while Berth runs. */
    void revokeRobot(String name) {
        ToolRun run = berthCommand(directory, "robot", "revoke", name, "--config", config.toString()).assertSucceeded();
        assertThat(run.stdout()).as(run.transcript()).contains("revoked robot$" + name);
    }

    /** {@code 127.0.0.1:PORT}, as clients name the registry. */
    String hostPort() {
        return process.uri().getAuthority();
    }

    /** A {@code docker://} reference to {@code repositoryAndReference} in this registry. */
    String docker(String repositoryAndReference) {
        return "docker://" + hostPort() + "/" + repositoryAndReference;
    }

    /** {@code GET path} with HTTP Basic credentials, straight to {@code /v2/} as Berth accepts them. */
    HttpResponse<byte[]> get(Credentials credentials, String path) {
        RegistryHttp http = process.http();
        return http.send(http.request(path).header("Authorization", credentials.basicAuthorization()).GET().build());
    }

    /**
     * A refresh token for {@code credentials} from the OAuth2 password grant
     * ({@code POST /auth/token}), as a client that logs in once and keeps an identity token gets it.
     */
    String refreshToken(Credentials credentials) {
        String form = "grant_type=password&service=berth&client_id=berth-tests&access_type=offline"
                + "&username=" + URLEncoder.encode(credentials.username(), StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(credentials.password(), StandardCharsets.UTF_8);
        RegistryHttp http = process.http();
        HttpResponse<byte[]> response = http.send(http.request("/auth/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(200);
        String token = RegistryHttp.json(response).path("refresh_token").asText();
        assertThat(token).as(RegistryHttp.text(response)).isNotEmpty();
        return token;
    }

    /** {@code GET path} without credentials. */
    HttpResponse<byte[]> getAnonymously(String path) {
        return process.http().send(process.http().request(path).GET().build());
    }

    /**
     * Waits until Berth's access log has a line for {@code method path} answered with {@code status}
     * ({@code path} may be a prefix; a query string may follow). Requests are logged after their
     * answer is sent, so a client may have exited a moment before the line is written.
     */
    void assertLogged(String method, String pathPrefix, int status) {
        // Access log lines: time client method path status bytes duration.
        Pattern line = Pattern.compile("(?m)^\\S+Z \\S+ \\S+ " + Pattern.quote(method) + " " + Pattern.quote(pathPrefix)
                + "\\S* " + status + " ");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String output = output();
        while (!line.matcher(output).find() && System.nanoTime() < deadline) {
            sleepBriefly();
            output = output();
        }
        assertThat(line.matcher(output).find())
                .as("Berth logged %s %s… answered %d; its log:%n%s", method, pathPrefix, status, output)
                .isTrue();
    }

    /** Everything Berth printed so far, its access log included. */
    String output() {
        try {
            return process.output();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }

    /** A user name and its password or robot secret. */
    record Credentials(String username, String password) {
        /** {@code USER:PASSWORD}, as {@code --creds} and its variants take them. */
        String colonSeparated() {
            return username + ":" + password;
        }

        String basicAuthorization() {
            return "Basic " + Base64.getEncoder().encodeToString(colonSeparated().getBytes(StandardCharsets.UTF_8));
        }

        Credentials withPassword(String other) {
            return new Credentials(username, other);
        }
    }
}
