package io.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Remote mode: run a command over a registry's HTTP API instead of on the data directory, so that
 * release engineers need no database access. Given before the command ({@code berth --registry URL
 * promote …}) or after it ({@code berth promote --registry URL …}). Credentials are a user name with
 * the password on standard input, or a token (a file, or {@code BERTH_TOKEN}); never an argument.
 */
final class RemoteOptions {
    /** The environment variable that may hold a bearer token for remote mode. */
    static final String TOKEN_VARIABLE = "BERTH_TOKEN";

    @Option(names = "--registry", paramLabel = "URL",
            description = "Run over this registry's API (https://host[:port]) instead of on the data directory.")
    URI registry;

    @Option(names = "--username", paramLabel = "NAME", description = "With --registry: log in as this user (or robot$NAME).")
    String username;

    @Option(names = "--password-stdin", description = "With --username: read the password from standard input.")
    boolean passwordFromStdin;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "With --registry: send the bearer token in FILE (or set " + TOKEN_VARIABLE + ").")
    Path tokenFile;

    @Option(names = "--plain-http",
            description = "With --registry: allow an http:// URL of a host other than this one (credentials then cross"
                    + " the network unencrypted).")
    boolean plainHttp;

    /**
     * The registry API to run over, when this command or {@code berth} itself was given
     * {@code --registry}; empty to work on the data directory. Options given before the command and
     * after it add up; the same option given in both places with different values is refused.
     *
     * @throws IllegalArgumentException when the options do not fit together
     */
    static Optional<RegistryApi> api(CommandSpec spec, RemoteOptions own, InputStream stdin) throws IOException {
        RemoteOptions root = spec.root().userObject() instanceof BerthCommand berth && berth.remote != own ? berth.remote : null;
        RemoteOptions chosen = merge(own, root);
        if (chosen.registry == null) {
            if (chosen.hasCredentials() || chosen.plainHttp) {
                throw new IllegalArgumentException("--username, --password-stdin, --token-file and --plain-http need --registry");
            }
            return Optional.empty();
        }
        checkRegistry(chosen.registry, chosen.plainHttp);
        return Optional.of(new RegistryApi(chosen.registry, chosen.authorization(stdin)));
    }

    private static RemoteOptions merge(RemoteOptions own, RemoteOptions root) {
        RemoteOptions merged = new RemoteOptions();
        for (RemoteOptions given : new RemoteOptions[]{own, root}) {
            if (given == null) {
                continue;
            }
            merged.registry = one("--registry", merged.registry, given.registry);
            merged.username = one("--username", merged.username, given.username);
            merged.tokenFile = one("--token-file", merged.tokenFile, given.tokenFile);
            merged.passwordFromStdin |= given.passwordFromStdin;
            merged.plainHttp |= given.plainHttp;
        }
        return merged;
    }

    private static <T> T one(String option, T first, T second) {
        if (first != null && second != null && !first.equals(second)) {
            throw new IllegalArgumentException(option + " was given twice, before and after the command, with different values");
        }
        return first != null ? first : second;
    }

    /**
     * Refuses what would send credentials somewhere unintended: a URL that is not http(s), that
     * carries a user name, a query or a fragment, or that is plain http to another host without
     * {@code --plain-http}.
     */
    static void checkRegistry(URI registry, boolean plainHttp) {
        if (!PromoteCommand.isRegistryUrl(registry)) {
            throw new IllegalArgumentException("--registry must be an http:// or https:// URL such as https://registry.example.org,"
                    + " not " + registry);
        }
        if (registry.getRawUserInfo() != null || registry.getRawQuery() != null || registry.getRawFragment() != null) {
            throw new IllegalArgumentException("--registry takes only scheme, host, port and path (credentials go in --username"
                    + " or --token-file), not " + registry.getScheme() + "://" + registry.getHost() + "…");
        }
        if (registry.getScheme().equalsIgnoreCase("http") && !plainHttp && !isLoopback(registry.getHost())) {
            throw new IllegalArgumentException("--registry " + registry + " is plain http to another host: use https://, or"
                    + " add --plain-http to send credentials unencrypted");
        }
    }

    private static boolean isLoopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return bare.equalsIgnoreCase("localhost") || bare.equals("::1") || bare.matches("127(\\.\\d{1,3}){3}");
    }

    private boolean hasCredentials() {
        return username != null || passwordFromStdin || tokenFile != null;
    }

    private Optional<String> authorization(InputStream stdin) throws IOException {
        if (username != null && tokenFile != null) {
            throw new IllegalArgumentException("give --username or --token-file, not both");
        }
        if (username != null) {
            if (!passwordFromStdin) {
                throw new IllegalArgumentException("--username needs --password-stdin (the password is never an argument)");
            }
            String password = firstLine(stdin.readNBytes(4096));
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(
                    (username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        if (passwordFromStdin) {
            throw new IllegalArgumentException("--password-stdin needs --username");
        }
        if (tokenFile != null) {
            return Optional.of("Bearer " + firstLine(Files.readAllBytes(tokenFile)));
        }
        return DataOptions.environment(TOKEN_VARIABLE).map(token -> "Bearer " + token.strip());
    }

    private static String firstLine(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }
}
