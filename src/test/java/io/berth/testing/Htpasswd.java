package io.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Writes htpasswd files as {@code htpasswd -B} does ({@code name:$2y$…} per line), with
 * BouncyCastle's bcrypt at its lowest cost (4) so that tests stay fast.
 */
public final class Htpasswd {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TEST_COST = 4;

    private Htpasswd() {
    }

    /** One {@code name:hash} line with a {@code $2y$} hash, as Apache's htpasswd writes. */
    public static String line(String user, String password) {
        return line(user, password, "2y");
    }

    /** One {@code name:hash} line with a bcrypt hash of the given version: {@code 2a}, {@code 2b} or {@code 2y}. */
    public static String line(String user, String password, String version) {
        return user + ":" + hash(password, version);
    }

    public static String hash(String password, String version) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate(version, password.toCharArray(), salt, TEST_COST);
    }

    /** Writes (or replaces) {@code file} with one line per user, from user name to password. */
    public static Path write(Path file, Map<String, String> passwordsByUser) {
        List<String> lines = new ArrayList<>();
        passwordsByUser.forEach((user, password) -> lines.add(line(user, password)));
        try {
            return Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
