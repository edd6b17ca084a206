package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.BerthCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's remote mode against a {@link LockedDownRegistry}: promote, promotions, robots,
 * mirrors, gc and audit run over the HTTP API as the user who logs in (password on standard input,
 * or a token file), with the registry's own permission checks and messages, and no database access.
 */
class RemoteCommandLineTest {
    private static LockedDownRegistry registry;

    @TempDir
    Path temporary;

    @BeforeAll
    static void start() throws IOException {
        registry = LockedDownRegistry.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    record Run(int status, String out, String err) {
    }

    /** {@code berth --registry URL --username USER --password-stdin ARGUMENTS…} with {@code password} on standard input. */
    private static Run as(String user, String password, String... arguments) {
        List<String> all = new ArrayList<>(List.of("--registry", registry.uri().toString(), "--username", user, "--password-stdin"));
        all.addAll(List.of(arguments));
        return berth(password + "\n", all.toArray(String[]::new));
    }

    private static Run asAdmin(String... arguments) {
        return as("admin", LockedDownRegistry.ADMIN_PASSWORD, arguments);
    }

    private static Run berth(String stdin, String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream standardOut = System.out;
        PrintStream standardErr = System.err;
        InputStream standardIn = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            int status = BerthCommand.commandLine().execute(arguments);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(standardOut);
            System.setErr(standardErr);
            System.setIn(standardIn);
        }
    }

    @Test
    void aReleaseEngineerPromotesAndListsPromotionsOverTheApi() {
        Run promoted = as("releng", LockedDownRegistry.RELENG_PASSWORD, "promote", "candidate/app:1.0", "app:1.0");

        assertThat(promoted.status()).as(promoted.out() + promoted.err()).isZero();
        assertThat(promoted.out()).contains("promoted releng candidate/app@" + LockedDownRegistry.CANDIDATE_MANIFEST.digest()
                + " -> app:1.0");
        Run listed = berth(LockedDownRegistry.RELENG_PASSWORD + "\n", "promotions", "--registry", registry.uri().toString(),
                "--username", "releng", "--password-stdin", "--repository", "app");
        assertThat(listed.status()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("promoted releng candidate/app@");
        Run audited = asAdmin("audit", "--action", "promotion", "--repository", "app");
        assertThat(audited.out()).contains("promotion.granted", " releng 127.0.0.1 app <- candidate/app");
    }

    @Test
    void anAdminManagesRobotsAndTheTrailShowsIt() {
        Run created = asAdmin("robot", "create", "nightly", "--description", "nightly builds");
        assertThat(created.status()).as(created.err()).isZero();
        assertThat(created.out()).contains("user name: robot$nightly", "secret:");
        assertThat(asAdmin("robot", "list").out()).contains("nightly", "active", "nightly builds");
        Run rotated = asAdmin("robot", "rotate", "nightly");
        assertThat(rotated.status()).as(rotated.err()).isZero();
        String secret = rotated.out().lines().filter(line -> line.startsWith("secret:")).findFirst().orElseThrow()
                .substring("secret:".length()).strip();
        assertThat(registry.basic("robot$nightly", secret).get("/v2/").statusCode()).isEqualTo(200);
        assertThat(asAdmin("robot", "revoke", "nightly").status()).isZero();
        assertThat(asAdmin("robot", "list").out()).containsPattern("nightly +revoked");

        Run trail = asAdmin("audit", "--action", "robot", "--limit", "3");
        assertThat(trail.status()).as(trail.err()).isZero();
        assertThat(trail.out().lines().toList()).hasSize(3);
        assertThat(trail.out()).contains("robot.revoked", "robot.rotated", "robot.created", " admin 127.0.0.1 ");
        long oldestShown = Long.parseLong(trail.out().lines().reduce((first, last) -> last).orElseThrow().split(" ")[0].substring(1));
        assertThat(trail.err()).as("where the next page starts").contains("more entries: add --before " + oldestShown);
        Run older = asAdmin("audit", "--before", String.valueOf(oldestShown), "-n", "1000");
        assertThat(older.status()).as(older.err()).isZero();
        assertThat(older.out().lines().map(line -> Long.parseLong(line.split(" ")[0].substring(1))))
                .isNotEmpty().allMatch(id -> id < oldestShown);
        assertThat(older.err()).doesNotContain("more entries");
    }

    @Test
    void theRegistryDecidesWhoMayDoWhatAndSaysWhy() {
        Run refused = as("releng", LockedDownRegistry.RELENG_PASSWORD, "robot", "create", "sneaky");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("/berth/v1/robots answered 403");
        Run wrongPassword = as("releng", "wrong", "promotions");
        assertThat(wrongPassword.status()).isEqualTo(1);
        assertThat(wrongPassword.err()).contains("answered 401");
        Run anonymous = berth("", "--registry", registry.uri().toString(), "gc");
        assertThat(anonymous.status()).isEqualTo(1);
        assertThat(anonymous.err()).contains("/berth/v1/gc answered 401");
    }

    @Test
    void gcMirrorsAndAuditRunRemotelyForAnAdminAlsoWithATokenFile() throws IOException {
        Run dryRun = asAdmin("gc", "--dry-run");
        assertThat(dryRun.status()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).contains("would remove");
        Run pass = asAdmin("gc");
        assertThat(pass.status()).as(pass.err()).isZero();
        assertThat(pass.out()).startsWith("garbage collection");
        Run mirrors = asAdmin("mirror", "list");
        assertThat(mirrors.status()).as(mirrors.err()).isZero();
        assertThat(mirrors.out()).contains("NAME", "private");

        Path tokenFile = temporary.resolve("token");
        Files.writeString(tokenFile, LockedDownRegistry.token(registry.admin()) + "\n");
        Run audit = berth("", "audit", "--registry", registry.uri().toString(), "--token-file", tokenFile.toString(),
                "--action", "push", "-n", "1");
        assertThat(audit.status()).as(audit.err()).isZero();
        assertThat(audit.out().lines().toList()).hasSize(1);
        assertThat(audit.out()).contains(" push ");
    }

    @Test
    void optionsThatDoNotFitTogetherAreBadUsage() {
        assertThat(berth("", "--registry", "ftp://registry.example.org", "promotions").status()).isEqualTo(2);
        assertThat(berth("", "promotions", "--username", "releng").status()).isEqualTo(2);
        Run both = berth("", "audit", "--registry", registry.uri().toString(), "--data", temporary.toString());
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.err()).contains("give one or the other");
        Run actor = asAdmin("promote", "candidate/app:1.0", "app:2.0", "--actor", "someone-else");
        assertThat(actor.status()).isEqualTo(2);
        assertThat(berth("", "audit", "--registry", registry.uri().toString(), "--action", "pull").status()).isEqualTo(2);
    }

    @Test
    void optionsBeforeAndAfterTheCommandAddUpButMayNotDisagree() {
        Run split = berth(LockedDownRegistry.ADMIN_PASSWORD + "\n", "--registry", registry.uri().toString(), "--username",
                "admin", "robot", "list", "--password-stdin");
        assertThat(split.status()).as(split.err()).isZero();
        assertThat(split.out()).contains("NAME");
        Run disagree = berth("", "--registry", registry.uri().toString(), "promotions", "--registry", "https://other.example.org");
        assertThat(disagree.status()).isEqualTo(2);
        assertThat(disagree.err()).contains("--registry was given twice");
    }

    @Test
    void aRegistryUrlThatWouldLeakCredentialsIsRefused() {
        String address = registry.uri().getAuthority();
        Run userInfo = berth("", "--registry", "http://admin:secret@" + address, "promotions");
        assertThat(userInfo.status()).isEqualTo(2);
        assertThat(userInfo.err()).contains("only scheme, host, port and path").doesNotContain("secret");
        assertThat(berth("", "--registry", "http://" + address + "/?x=1", "promotions").status()).isEqualTo(2);
        Run plain = berth("", "--registry", "http://registry.example.org", "promotions");
        assertThat(plain.status()).isEqualTo(2);
        assertThat(plain.err()).contains("--plain-http");
        assertThat(berth("", "promotions", "--plain-http").status()).as("--plain-http without --registry").isEqualTo(2);
    }

    @Test
    void aServerThatIsNotBerthIsAFailureNotAnEmptyAnswer() throws IOException {
        com.sun.net.httpserver.HttpServer other = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", exchange -> {
            boolean robots = exchange.getRequestURI().getPath().startsWith("/berth/v1/robots");
            byte[] body = (robots ? "{}" : "<html>welcome</html>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", robots ? "application/json" : "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        other.start();
        try {
            String url = "http://127.0.0.1:" + other.getAddress().getPort();
            Run html = berth("", "--registry", url, "promotions");
            assertThat(html.status()).isEqualTo(1);
            assertThat(html.err()).contains("something other than JSON", "a Berth registry");
            Run noSecret = berth("", "--registry", url, "robot", "create", "nightly");
            assertThat(noSecret.status()).isEqualTo(1);
            assertThat(noSecret.err()).contains("no \"secret\"");
            assertThat(noSecret.out()).doesNotContain("secret:");
        } finally {
            other.stop(0);
        }
    }
}
