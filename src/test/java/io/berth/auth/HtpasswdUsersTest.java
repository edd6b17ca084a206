package io.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.berth.testing.Htpasswd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * htpasswd users: bcrypt hashes only ({@code $2a$}, {@code $2b$}, {@code $2y$}), any other line
 * refuses the whole file when it is loaded, and the file is re-read when it changes.
 */
class HtpasswdUsersTest {
    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"2y", "2b", "2a"})
    void acceptsEveryBcryptVersion(String version) throws IOException {
        Path file = write(Htpasswd.line("releng", "s3cret", version));
        assertThat(Files.readString(file)).contains("releng:$" + version + "$04$");

        HtpasswdUsers users = new HtpasswdUsers(file);

        assertThat(users.exists("releng")).isTrue();
        assertThat(users.verify("releng", "s3cret")).isTrue();
        assertThat(users.verify("releng", "S3cret")).isFalse();
        assertThat(users.verify("releng", "")).isFalse();
    }

    @Test
    void readsTheCommittedExampleFile() {
        HtpasswdUsers users = new HtpasswdUsers(Path.of("examples/locked-down.htpasswd"));

        assertThat(users.verify("releng", "releng-example-password")).isTrue();
        assertThat(users.verify("admin", "admin-example-password")).isTrue();
        assertThat(users.verify("admin", "releng-example-password")).isFalse();
    }

    @Test
    void anUnknownUserNeitherExistsNorVerifies() {
        HtpasswdUsers users = new HtpasswdUsers(write(Htpasswd.line("releng", "s3cret")));

        assertThat(users.exists("admin")).isFalse();
        assertThat(users.verify("admin", "s3cret")).isFalse();
    }

    @Test
    void skipsCommentsAndBlankLines() {
        HtpasswdUsers users = new HtpasswdUsers(write("# users of the test", "", "   ", Htpasswd.line("releng", "s3cret"),
                "  # indented comment"));

        assertThat(users.verify("releng", "s3cret")).isTrue();
        assertThat(users.exists("# users of the test")).isFalse();
    }

    @Test
    void aPasswordMayContainColons() {
        HtpasswdUsers users = new HtpasswdUsers(write(Htpasswd.line("releng", "a:b:c")));

        assertThat(users.verify("releng", "a:b:c")).isTrue();
    }

    static Stream<Arguments> refusedLines() {
        return Stream.of(
                argumentSet("SHA-1 ({SHA}, htpasswd -s)", "releng:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="),
                argumentSet("Apache MD5 ($apr1$, htpasswd -m)", "releng:$apr1$Ysb3kd1O$Rxg0Jh1Fkn9PZjDkLZRiJ/"),
                argumentSet("crypt DES (htpasswd -d)", "releng:rqXexS6ZhobKA"),
                argumentSet("SHA-512 crypt", "releng:$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/"),
                argumentSet("plain text", "releng:password"),
                argumentSet("truncated bcrypt", "releng:$2y$10$oYNJoSnnJGIFc4pnxXY98.cav.lsBpjzr8HKVhtar"),
                argumentSet("bcrypt of an unknown version", "releng:$2x$10$oYNJoSnnJGIFc4pnxXY98.cav.lsBpjzr8HKVhtarXshYncyjNHf."),
                argumentSet("no colon", "releng"),
                argumentSet("empty name", ":$2y$10$oYNJoSnnJGIFc4pnxXY98.cav.lsBpjzr8HKVhtarXshYncyjNHf."));
    }

    @ParameterizedTest
    @MethodSource("refusedLines")
    void refusesTheFileWhenAnyLineIsNotBcrypt(String line) {
        Path file = write(Htpasswd.line("admin", "fine"), line);

        assertThatIllegalArgumentException().isThrownBy(() -> new HtpasswdUsers(file))
                .withMessageContaining(file.toString())
                .withMessageContaining("line 2");
    }

    @Test
    void aMissingFileIsRefused() {
        assertThatExceptionOfType(UncheckedIOException.class)
                .isThrownBy(() -> new HtpasswdUsers(directory.resolve("absent.htpasswd")));
    }

    @Test
    void rereadsTheFileWhenItChanges() throws IOException {
        Path file = write(Htpasswd.line("releng", "old"), Htpasswd.line("leaver", "bye"));
        HtpasswdUsers users = new HtpasswdUsers(file);
        assertThat(users.verify("leaver", "bye")).isTrue();

        replace(file, Htpasswd.line("releng", "new"), Htpasswd.line("joiner", "hello"));

        assertThat(users.verify("joiner", "hello")).isTrue();
        assertThat(users.exists("leaver")).isFalse();
        assertThat(users.verify("releng", "new")).isTrue();
        assertThat(users.verify("releng", "old")).isFalse();
    }

    @Test
    void keepsTheUsersLastReadWhileTheFileIsAbsent() throws IOException {
        Path file = write(Htpasswd.line("releng", "s3cret"));
        HtpasswdUsers users = new HtpasswdUsers(file);

        Files.delete(file);

        assertThat(users.verify("releng", "s3cret")).isTrue();
    }

    private Path write(String... lines) {
        try {
            return Files.write(directory.resolve("users.htpasswd"), List.of(lines));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rewrites the file and moves its modification time on, as a later edit would: some file systems
     * keep times to the second, and a test is faster than that.
     */
    private static void replace(Path file, String... lines) throws IOException {
        FileTime before = Files.getLastModifiedTime(file);
        Files.write(file, List.of(lines));
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2_000));
    }
}
