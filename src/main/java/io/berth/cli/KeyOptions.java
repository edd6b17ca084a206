package io.berth.cli;

import io.berth.signing.PrivateSigningKey;
import java.io.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The signing key of {@code berth sign} and {@code berth attest}, and the passphrase of a key cosign
 * or {@code berth generate-key-pair} encrypted: from {@code --passphrase-file}, else the variable
 * {@value #PASSPHRASE_VARIABLE} (as cosign reads it), else asked on the terminal.
 */
final class KeyOptions {
    /** The variable cosign reads a key's passphrase from. */
    static final String PASSPHRASE_VARIABLE = "COSIGN_PASSWORD";

    @Option(names = "--key", required = true, paramLabel = "FILE",
            description = "Private key: PEM PRIVATE KEY (ECDSA or RSA), or cosign's encrypted key file.")
    Path key;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "File holding the passphrase of an encrypted key (default: $COSIGN_PASSWORD, else asked).")
    Path passphraseFile;

    /** The key, opened with the passphrase when it is encrypted. */
    PrivateSigningKey read(Map<String, String> environment) {
        return PrivateSigningKey.read(key, () -> passphrase(passphraseFile, environment, "Passphrase for " + key + ": ")
                .orElseThrow(() -> new IllegalArgumentException(key + ": the key is encrypted; give --passphrase-file or set "
                        + PASSPHRASE_VARIABLE)));
    }

    /** The passphrase from {@code file}, else the environment, else the terminal; empty when there is none of them. */
    static Optional<char[]> passphrase(Path file, Map<String, String> environment, String prompt) {
        if (file != null) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                return Optional.of(text.endsWith("\n") ? text.substring(0, text.length() - 1).toCharArray() : text.toCharArray());
            } catch (IOException | UncheckedIOException e) {
                throw new IllegalArgumentException(file + ": cannot be read (" + e.getMessage() + ")");
            }
        }
        if (environment.containsKey(PASSPHRASE_VARIABLE)) {
            return Optional.of(environment.get(PASSPHRASE_VARIABLE).toCharArray());
        }
        Console console = System.console();
        return console == null ? Optional.empty() : Optional.ofNullable(console.readPassword("%s", prompt));
    }
}
