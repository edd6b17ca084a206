package io.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.Htpasswd;
import io.berth.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who credentials prove: {@code robot$NAME} with an active robot's secret is that robot, any other
 * name is checked against the htpasswd file, with its groups from the configuration. Remembering
 * recent bcrypt checks must never let a different password in.
 */
class AuthenticatorTest {
    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final InMemoryRobots robots = new InMemoryRobots();
    private Path file;
    private Authenticator authenticator;

    @BeforeEach
    void users() throws IOException {
        file = directory.resolve("users.htpasswd");
        Files.write(file, List.of(Htpasswd.line("releng", "releng-password"), Htpasswd.line("admin", "admin-password"),
                Htpasswd.line("robot$ghost", "ghost-password")));
        authenticator = new Authenticator(Optional.of(new HtpasswdUsers(file)), Map.of("releng", List.of("releng")),
                robots, clock);
    }

    @Test
    void aUserWithTheRightPasswordIsThatUserWithTheirGroups() {
        assertThat(authenticator.authenticate("releng", "releng-password"))
                .hasValue(new Principal.User("releng", Set.of("releng")));
        assertThat(authenticator.authenticate("admin", "admin-password")).hasValue(new Principal.User("admin", Set.of()));
    }

    @Test
    void aWrongPasswordProvesNothing() {
        assertThat(authenticator.authenticate("releng", "admin-password")).isEmpty();
        assertThat(authenticator.authenticate("releng", "")).isEmpty();
    }

    @Test
    void anUnknownUserProvesNothing() {
        assertThat(authenticator.authenticate("nobody", "releng-password")).isEmpty();
    }

    @Test
    void rememberingASuccessDoesNotAcceptADifferentPassword() {
        assertThat(authenticator.authenticate("releng", "releng-password")).isPresent();

        assertThat(authenticator.authenticate("releng", "guess")).isEmpty();
        assertThat(authenticator.authenticate("releng", "releng-password ")).isEmpty();
        assertThat(authenticator.authenticate("admin", "releng-password")).isEmpty();
        assertThat(authenticator.authenticate("releng", "releng-password")).isPresent();
    }

    @Test
    void aRememberedUserRemovedFromTheFileIsRefusedAtOnce() throws IOException {
        assertThat(authenticator.authenticate("releng", "releng-password")).isPresent();

        replace(Htpasswd.line("admin", "admin-password"));

        assertThat(authenticator.authenticate("releng", "releng-password")).isEmpty();
        assertThat(authenticator.principalFor(tokenFor("releng"))).isEmpty();
    }

    @Test
    void aRememberedPasswordChangedInTheFileIsRefusedAtOnce() throws IOException {
        assertThat(authenticator.authenticate("releng", "releng-password")).isPresent();

        replace(Htpasswd.line("releng", "rotated-password"), Htpasswd.line("admin", "admin-password"));

        assertThat(authenticator.authenticate("releng", "releng-password")).isEmpty();
        assertThat(authenticator.authenticate("releng", "rotated-password")).isPresent();
    }

    @Test
    void aRememberedSuccessIsCheckedAgainAfterAMinute() {
        assertThat(authenticator.authenticate("releng", "releng-password")).isPresent();
        clock.advance(Duration.ofMinutes(2));

        assertThat(authenticator.authenticate("releng", "releng-password")).isPresent();
        assertThat(authenticator.authenticate("releng", "wrong")).isEmpty();
    }

    @Test
    void aRobotLogsInAsRobotDollarNameWithItsSecret() {
        String secret = robots.create("osbs");

        assertThat(authenticator.authenticate("robot$osbs", secret)).hasValue(robot("osbs"));
    }

    @Test
    void aRobotWithAnotherSecretProvesNothing() {
        robots.create("osbs");
        String otherSecret = robots.create("scanner");

        assertThat(authenticator.authenticate("robot$osbs", otherSecret)).isEmpty();
        assertThat(authenticator.authenticate("robot$osbs", "")).isEmpty();
    }

    @Test
    void aRevokedRobotProvesNothingAndIsNoLongerAnyone() {
        String secret = robots.create("osbs");
        assertThat(authenticator.principalFor(tokenFor("robot$osbs"))).hasValue(robot("osbs"));

        robots.revoke("osbs");

        assertThat(authenticator.authenticate("robot$osbs", secret)).isEmpty();
        assertThat(authenticator.principalFor(tokenFor("robot$osbs"))).isEmpty();
    }

    @Test
    void aRobotTokenIssuedForAnEarlierSecretSpeaksForNobodyEvenWithinTheSameSecond() {
        String first = robots.create("osbs", clock.instant());
        Principal loggedIn = authenticator.authenticate("robot$osbs", first).orElseThrow();
        AccessToken before = tokenFor(loggedIn);
        clock.advance(Duration.ofMillis(3));

        String second = robots.create("osbs", clock.instant());

        assertThat(authenticator.principalFor(before)).as("a token for the first secret").isEmpty();
        Principal again = authenticator.authenticate("robot$osbs", second).orElseThrow();
        assertThat(authenticator.principalFor(tokenFor(again))).hasValue(again);
        assertThat(authenticator.principalFor(new AccessToken("berth", "robot$osbs", List.of(), clock.instant(), false)))
                .as("a robot's token that names no credentials").isEmpty();
    }

    @Test
    void robotNamesCannotBeClaimedThroughTheHtpasswdFile() {
        assertThat(authenticator.authenticate("robot$ghost", "ghost-password")).isEmpty();
        assertThat(authenticator.principalFor(tokenFor("robot$ghost"))).isEmpty();
    }

    @Test
    void aRobotNeedsNoHtpasswdFile() {
        Authenticator robotsOnly = new Authenticator(Optional.empty(), Map.of(), robots, clock);
        String secret = robots.create("osbs");

        assertThat(robotsOnly.authenticate("robot$osbs", secret)).hasValue(robot("osbs"));
        assertThat(robotsOnly.authenticate("releng", "releng-password")).isEmpty();
        assertThat(robotsOnly.principalFor(tokenFor("releng"))).isEmpty();
    }

    @Test
    void anEmptySubjectIsAnonymousAndAUserSubjectIsThatUserAsTheyStandNow() {
        assertThat(authenticator.principalFor(tokenFor(""))).hasValue(new Principal.Anonymous());
        assertThat(authenticator.principalFor(tokenFor("releng"))).hasValue(new Principal.User("releng", Set.of("releng")));
        assertThat(authenticator.principalFor(tokenFor("nobody"))).isEmpty();
    }

    @Test
    void anUnknownUserNameCostsAsMuchAsAKnownUsersWrongPassword() throws IOException {
        // At bcrypt cost 12 a check takes a few hundred milliseconds, so a name that skipped it
        // would answer in a fraction of the time; the medians of three tries must stay within 2x.
        Path slowFile = directory.resolve("slow.htpasswd");
        byte[] salt = new byte[16];
        Files.write(slowFile, List.of("slow:" + OpenBSDBCrypt.generate("slow-password".toCharArray(), salt, 12)));
        Authenticator slow = new Authenticator(Optional.of(new HtpasswdUsers(slowFile)), Map.of(), robots, clock);

        long known = medianNanos(() -> assertThat(slow.authenticate("slow", "wrong")).isEmpty());
        long unknown = medianNanos(() -> assertThat(slow.authenticate("nobody", "wrong")).isEmpty());

        assertThat(known).as("a cost-12 bcrypt check, in nanoseconds").isGreaterThan(Duration.ofMillis(20).toNanos());
        assertThat(unknown).as("an unknown name, against %d ns for a known one", known).isBetween(known / 2, known * 2);
    }

    private static long medianNanos(Runnable login) {
        long[] times = new long[3];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            login.run();
            times[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(times);
        return times[1];
    }

    @Test
    void decodesBasicCredentialsSplittingAtTheFirstColon() {
        assertThat(Authenticator.decodeBasic(basic("releng:pass:word"))).hasValueSatisfying(
                pair -> assertThat(pair).containsExactly("releng", "pass:word"));
        assertThat(Authenticator.decodeBasic(" " + basic("releng:") + " ")).hasValueSatisfying(
                pair -> assertThat(pair).containsExactly("releng", ""));
    }

    @Test
    void malformedBasicCredentialsAreEmpty() {
        assertThat(Authenticator.decodeBasic(basic("no colon here"))).isEmpty();
        assertThat(Authenticator.decodeBasic("not base64 !")).isEmpty();
    }

    private static String basic(String userColonPassword) {
        return Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    private void replace(String... lines) throws IOException {
        FileTime before = Files.getLastModifiedTime(file);
        Files.write(file, List.of(lines));
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2_000));
    }

    /** An access token of Berth's own for {@code subject}, as issued now to whoever holds that name now. */
    private AccessToken tokenFor(String subject) {
        Optional<Instant> credentials = subject.startsWith(Principal.Robot.USERNAME_PREFIX)
                ? robots.robot(subject.substring(Principal.Robot.USERNAME_PREFIX.length()))
                        .map(RobotAccounts.ActiveRobot::credentialsSince)
                : Optional.empty();
        return new AccessToken("berth", subject, List.of(), clock.instant().plus(Duration.ofMinutes(5)), false, credentials);
    }

    /** An access token of Berth's own issued now to {@code principal} (carrying a robot's credentials). */
    private AccessToken tokenFor(Principal principal) {
        Optional<Instant> credentials = principal instanceof Principal.Robot robot ? robot.credentialsSince() : Optional.empty();
        return new AccessToken("berth", principal.subject(), List.of(), clock.instant().plus(Duration.ofMinutes(5)), false,
                credentials);
    }

    /** The principal a robot with its current credentials is. */
    private Principal.Robot robot(String name) {
        return new Principal.Robot(name, robots.robot(name).map(RobotAccounts.ActiveRobot::credentialsSince));
    }
}
