package io.berth.server;

import io.berth.config.BerthConfig;
import io.berth.server.StartupException.Problem;
import io.berth.storage.PrivateFiles;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The checks on the data directory before anything is opened in it. {@code berth serve} may create
 * it (but not its missing parents, which are more likely a typo than a plan); the commands that read
 * an existing registry require one, so that a forgotten {@code --config} never leaves an empty
 * database behind in the current directory.
 */
public final class DataDirectory {
    private DataDirectory() {
    }

    /**
     * For a server: the data directory, created owner-only when missing, after checking that it is a
     * directory Berth can write to.
     */
    static Path prepare(String configured) {
        Path directory = Path.of(configured).toAbsolutePath().normalize();
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw problem("the data directory " + directory + " is not a directory");
        }
        if (!Files.exists(directory)) {
            Path parent = directory.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw problem("the data directory " + directory + " does not exist, nor does " + parent
                        + " (create it, or give another --data or data-dir)");
            }
            try {
                PrivateFiles.createDirectories(directory);
            } catch (IOException e) {
                throw problem("cannot create the data directory " + directory + ": " + reason(e), e);
            }
        }
        requireWritable(directory);
        return directory;
    }

    /** Berth writes blobs, uploads and its database here: a read-only mount or a foreign owner stops it at start. */
    private static void requireWritable(Path directory) {
        Path probe = directory.resolve(".berth-write-check-" + UUID.randomUUID());
        try {
            if (Files.getFileStore(directory).isReadOnly()) {
                throw problem("the data directory " + directory + " is on a read-only file system");
            }
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException e) {
            throw problem("the data directory " + directory + " is not writable: " + reason(e), e);
        }
    }

    /**
     * For the commands that work on an existing registry: with SQLite metadata (no {@code database}
     * section), the data directory must exist and hold the database a server created. With
     * PostgreSQL the configuration names the database, and this checks nothing.
     */
    public static void requireExisting(BerthConfig config) {
        if (config.databaseSettings().isPresent()) {
            return;
        }
        Path directory = Path.of(config.dataDir());
        if (!Files.isDirectory(directory)) {
            throw problem("no Berth data directory at " + config.dataDir() + " (give --config FILE or --data DIR)");
        }
        if (!Files.isRegularFile(directory.resolve(BerthServer.SQLITE_FILE))) {
            throw problem(config.dataDir() + " is not a Berth data directory: it holds no " + BerthServer.SQLITE_FILE
                    + " (give --config FILE or --data DIR)");
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied for " + System.getProperty("user.name", "this user");
        }
        if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            return fileSystem.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return "an input/output error";
    }

    private static StartupException problem(String message) {
        return new StartupException(Problem.DATA_DIRECTORY, message);
    }

    private static StartupException problem(String message, Throwable cause) {
        return new StartupException(Problem.DATA_DIRECTORY, message, cause);
    }
}
