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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HtpasswdUsers.class);
    private static final int DEFAULT_COST = 10;
    private static final int MINIMUM_COST = 4;
    /** Beyond this (over a second per check) the stand-in costs less than such a user, rather than stall loading. */
    private static final int MAXIMUM_COST = 16;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private final Path file;
    private volatile Snapshot snapshot;

    /**
     * @param unknownUserHash a bcrypt hash of a random password, at the file's most common cost:
     *                        checking a password of a name not in the file costs as much as
     *                        checking a real user's, so response times do not tell which names exist
     */
    private record Snapshot(FileTime modified, Map<String, String> hashes, String unknownUserHash) {
    }

    public HtpasswdUsers(Path file) {
        this.file = file;
        this.snapshot = load(file);
    }

    /**
     * True when {@code password} is the user's password. Costs one bcrypt verification, for a name
     * not in the file too (against a hash no password matches, at the cost the file's users have).
     */
    public boolean verify(String user, String password) {
        refreshIfChanged();
        Snapshot current = snapshot;
        String hash = current.hashes().get(user);
        boolean matches = OpenBSDBCrypt.checkPassword(hash == null ? current.unknownUserHash() : hash, password.toCharArray());
        return hash != null && matches;
    }

    public boolean exists(String user) {
        return hashOf(user).isPresent();
    }

    /** The user's bcrypt hash as the file holds it now; it changes when the password does. */
    Optional<String> hashOf(String user) {
        refreshIfChanged();
        return Optional.ofNullable(snapshot.hashes().get(user));
    }

    /**
     * Re-reads the file when it changed. A changed file that cannot be used (unreadable, or a line
     * that is not a bcrypt entry) is reported once and ignored: the users last read stay in force
     * until the file is fixed, so a bad edit locks nobody out and lets nobody in.
     */
    private void refreshIfChanged() {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return;
        }
        if (modified.equals(snapshot.modified())) {
            return;
        }
        try {
            snapshot = load(file);
        } catch (RuntimeException e) {
            LOG.warn("ignoring the changed htpasswd file, still using the users read before: {}", e.getMessage());
            snapshot = new Snapshot(modified, snapshot.hashes(), snapshot.unknownUserHash());
        }
    }

    /** A hash of a random password at the most common cost of {@code hashes} (bcrypt's usual 10 for none). */
    private static String unknownUserHash(java.util.Collection<String> hashes) {
        int cost = hashes.stream().map(hash -> Integer.parseInt(hash.substring(4, 6)))
                .collect(java.util.stream.Collectors.groupingBy(value -> value, java.util.stream.Collectors.counting()))
                .entrySet().stream().max(Map.Entry.<Integer, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse(DEFAULT_COST);
        byte[] salt = new byte[16];
        byte[] password = new byte[32];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(password);
        String random = java.util.HexFormat.of().formatHex(password);
        return OpenBSDBCrypt.generate(random.toCharArray(), salt, Math.clamp(cost, MINIMUM_COST, MAXIMUM_COST));
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
            return new Snapshot(modified, Map.copyOf(hashes), unknownUserHash(hashes.values()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read htpasswd file " + file, e);
        }
    }
}
