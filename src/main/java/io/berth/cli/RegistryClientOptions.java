package io.berth.cli;

import io.berth.promotion.RemoteRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How a command that talks to a registry over its API reaches it and who it is there. */
final class RegistryClientOptions {
    @Option(names = "--username", description = "User name at the registry (a user, or robot$NAME).")
    String username;

    @Option(names = "--password-stdin", description = "Read the password (or robot secret) from standard input.")
    boolean passwordFromStdin;

    @Option(names = "--plain-http", description = "Speak plain HTTP to the registry instead of HTTPS (loopback and tests only).")
    boolean plainHttp;

    /** The registry at {@code host[:port]}, with the credentials given. */
    RemoteRegistry registry(String hostAndPort, InputStream stdin) throws IOException {
        URI base = URI.create((plainHttp ? "http://" : "https://") + hostAndPort + "/");
        return new RemoteRegistry(base, credentials(stdin));
    }

    private Optional<Map.Entry<String, String>> credentials(InputStream stdin) throws IOException {
        if (username == null) {
            if (passwordFromStdin) {
                throw new IllegalArgumentException("--password-stdin needs --username");
            }
            return Optional.empty();
        }
        if (!passwordFromStdin) {
            throw new IllegalArgumentException("--username needs --password-stdin (the password is never an argument)");
        }
        String password = new String(stdin.readNBytes(4096), StandardCharsets.UTF_8).strip();
        return Optional.of(Map.entry(username, password));
    }
}
