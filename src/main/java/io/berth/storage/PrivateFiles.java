package io.berth.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates the directories and files of Berth's data directory private to the user Berth runs as:
 * directories {@code rwx------} (0700), files {@code rw-------} (0600), whatever the process's
 * umask. The permissions are set atomically at creation, so no other user can open a file in the
 * moment between its creation and a later {@code chmod}. On a filesystem without POSIX
 * permissions the filesystem's defaults apply.
 *
 * <p>Blob bytes are content, and may be public content; they are private here anyway because the
 * data directory also holds the metadata database, upload sessions in progress and, with
 * {@code auth}, the token signing key, and because nothing but Berth needs to read it.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates {@code directory} and every missing parent, each owner-only; existing ones are left as they are. */
    public static void createDirectories(Path directory) throws IOException {
        if (supportsPosix(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
        } else {
            Files.createDirectories(directory);
        }
    }

    /**
     * Opens {@code file}, creating it owner-only when it does not exist; an existing file keeps
     * its permissions.
     */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> all = new java.util.HashSet<>(Set.of(options));
        return supportsPosix(file)
                ? FileChannel.open(file, all, PosixFilePermissions.asFileAttribute(FILE))
                : FileChannel.open(file, all);
    }

    /** Creates {@code file}, empty and owner-only, unless it exists. */
    public static void createFileIfMissing(Path file) throws IOException {
        try {
            open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        } catch (FileAlreadyExistsException e) {
            // Kept as it is, permissions included.
        }
    }

    /** Whether {@code path} (a directory or a file) can be read, written or entered by anyone but its owner. */
    public static boolean isOpenToOthers(Path path) throws IOException {
        if (!supportsPosix(path)) {
            return false;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        return permissions.stream().anyMatch(permission -> !permission.name().startsWith("OWNER_"));
    }

    private static boolean supportsPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

}
