package io.berth.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Users from an htpasswd file ({@code name:hash} per line, as {@code htpasswd -B} writes). Only
 * bcrypt hashes ({@code $2a$}, {@code $2b$}, {@code $2y$}) are accepted: a file with any other
 * kind is refused when loaded. The file is re-read when it changes.
 */
public final class HtpasswdUsers {
    private final Path file;
    private volatile Snapshot snapshot;

    private record Snapshot(FileTime modified, Map<String, String> hashes) {
    }

    public HtpasswdUsers(Path file) {
        this.file = file;
        this.snapshot = load(file);
    }

    /** True when {@code password} is the user's password. Costs one bcrypt verification. */
    public boolean verify(String user, String password) {
        Optional<String> hash = hashOf(user);
        return hash.isPresent() && OpenBSDBCrypt.checkPassword(hash.get(), password.toCharArray());
    }

    public boolean exists(String user) {
        return hashOf(user).isPresent();
    }

    /** The user's bcrypt hash as the file holds it now; it changes when the password does. */
    Optional<String> hashOf(String user) {
        refreshIfChanged();
        return Optional.ofNullable(snapshot.hashes().get(user));
    }

    private void refreshIfChanged() {
        try {
            if (!Files.getLastModifiedTime(file).equals(snapshot.modified())) {
                snapshot = load(file);
            }
        } catch (IOException e) {
            // Keep serving with the users last read; the file may be being replaced.
        }
    }

    private static Snapshot load(Path file) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            Map<String, String> hashes = new HashMap<>();
            int number = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int colon = trimmed.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException(file + " line " + number + " is not name:hash");
                }
                String hash = trimmed.substring(colon + 1);
                if (!hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                    throw new IllegalArgumentException(file + " line " + number
                            + ": only bcrypt hashes are accepted (create them with htpasswd -B)");
                }
                hashes.put(trimmed.substring(0, colon), hash);
            }
            return new Snapshot(modified, Map.copyOf(hashes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read htpasswd file " + file, e);
        }
    }
}
