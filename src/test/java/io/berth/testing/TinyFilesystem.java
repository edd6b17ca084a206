package io.berth.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a fresh temporary directory, for tests of what Berth does when its disk
 * is full. Mounting needs root, as CI runs: without it the test fails, saying so, rather than
 * skipping. Closing unmounts it and removes the directory.
 */
public final class TinyFilesystem implements AutoCloseable {
    private final Path root;

    private TinyFilesystem(Path root) {
        this.root = root;
    }

    /** Mounts a tmpfs of {@code megabytes} MiB. */
    public static TinyFilesystem mount(int megabytes) throws IOException, InterruptedException {
        Path root = Files.createTempDirectory("berth-tmpfs-");
        String output = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700", "tmpfs", root.toString()));
        if (output != null) {
            Files.deleteIfExists(root);
            throw new IllegalStateException("cannot mount a tmpfs on " + root + " (this test needs root, as CI runs): "
                    + output);
        }
        return new TinyFilesystem(root);
    }

    public Path root() {
        return root;
    }

    /** Writes {@code file} until the filesystem has no space left; returns the bytes written. */
    public long fill(Path file) throws IOException {
        byte[] block = new byte[64 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("No space left")) {
                throw e;
            }
            return written;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String output = run(List.of("umount", root.toString()));
        if (output != null) {
            throw new IllegalStateException("cannot unmount " + root + ": " + output);
        }
        Files.deleteIfExists(root);
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return String.join(" ", command) + " did not finish within 30 s";
        }
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return process.exitValue() == 0 ? null : String.join(" ", command) + " exited " + process.exitValue() + ": " + printed;
    }
}
