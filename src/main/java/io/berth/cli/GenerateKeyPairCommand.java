package io.berth.cli;

import io.berth.signing.EncryptedKeyFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth generate-key-pair}: an ECDSA P-256 signing key, as {@code cosign generate-key-pair}
 * makes one: {@code PREFIX.key}, encrypted under a passphrase in cosign's format (which cosign,
 * skopeo's {@code --sign-by-sigstore-private-key} and {@code berth sign} read), readable by its owner
 * only, and {@code PREFIX.pub}, the public key the promotion gates are given.
 */
@Command(name = "generate-key-pair", mixinStandardHelpOptions = true,
        description = "Make a signing key pair: PREFIX.key (encrypted, as cosign writes it) and PREFIX.pub.")
final class GenerateKeyPairCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--output-key-prefix", paramLabel = "PREFIX", defaultValue = "cosign",
            description = "Where to write the pair: PREFIX.key and PREFIX.pub (default: cosign).")
    String prefix;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "File holding the passphrase (default: $COSIGN_PASSWORD, else asked twice).")
    Path passphraseFile;

    @Override
    public Integer call() {
        Path privateFile = Path.of(prefix + ".key");
        Path publicFile = Path.of(prefix + ".pub");
        for (Path existing : new Path[] {privateFile, publicFile}) {
            if (Files.exists(existing)) {
                spec.commandLine().getErr().println("berth: " + existing + " exists; nothing was written");
                return 1;
            }
        }
        try {
            char[] passphrase = passphrase(System.getenv());
            KeyPair pair = generate();
            byte[] document = EncryptedKeyFile.encrypt(pair.getPrivate().getEncoded(), passphrase);
            write(privateFile, pem(EncryptedKeyFile.PEM_TYPE, document), true);
            write(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
            spec.commandLine().getOut().println("Private key written to " + privateFile);
            spec.commandLine().getOut().println("Public key written to " + publicFile);
            return 0;
        } catch (FileAlreadyExistsException exists) {
            spec.commandLine().getErr().println("berth: " + exists.getFile() + " exists; nothing was written");
            return 1;
        } catch (IllegalArgumentException | IOException e) {
            spec.commandLine().getErr().println("berth: " + e.getMessage());
            return 1;
        }
    }

    private char[] passphrase(Map<String, String> environment) {
        if (passphraseFile != null || environment.containsKey(KeyOptions.PASSPHRASE_VARIABLE)) {
            return KeyOptions.passphrase(passphraseFile, environment, "").orElseThrow();
        }
        java.io.Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("no terminal to ask for a passphrase: give --passphrase-file or set "
                    + KeyOptions.PASSPHRASE_VARIABLE);
        }
        char[] first = console.readPassword("Passphrase for the new key: ");
        char[] again = console.readPassword("The passphrase again: ");
        if (first == null || !java.util.Arrays.equals(first, again)) {
            throw new IllegalArgumentException("the passphrases differ; nothing was written");
        }
        return first;
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an ECDSA P-256 key", e);
        }
    }

    /** Creates {@code file} (never replacing one), readable by its owner only when {@code secret}. */
    private static void write(Path file, String content, boolean secret) throws IOException {
        if (secret) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] content) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(content)
                + "\n-----END " + type + "-----\n";
    }
}
