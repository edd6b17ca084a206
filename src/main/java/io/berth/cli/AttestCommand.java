package io.berth.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.berth.oci.Digest;
import io.berth.promotion.RemoteRegistry;
import io.berth.signing.CosignAttachment;
import io.berth.signing.Dsse;
import io.berth.signing.InTotoStatement;
import io.berth.signing.PrivateSigningKey;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth attest --key KEY --type URI --predicate FILE IMAGE}: attaches a signed in-toto
 * attestation (a test report, a scan result) to an image in a registry as {@code cosign attest}
 * does: a DSSE envelope under {@code sha256-<hex>.att}, the form the {@code required-attestations}
 * gate verifies ({@code docs/promotion.md}, "Attaching a test report").
 */
@Command(name = "attest", mixinStandardHelpOptions = true,
        description = "Attach a signed in-toto attestation to an image in a registry (cosign's .att attachment).")
final class AttestCommand implements Callable<Integer> {
    /** A predicate is a report, not a payload: larger ones are refused before anything is sent. */
    static final int MAX_PREDICATE_BYTES = 32 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    @Spec
    CommandSpec spec;

    @Mixin
    RegistryClientOptions client;

    @Mixin
    KeyOptions key;

    @Option(names = "--type", required = true, paramLabel = "URI", description = "The predicate type, e.g. https://berth.dev/test-result/v1.")
    URI predicateType;

    @Option(names = "--predicate", required = true, paramLabel = "FILE", description = "The predicate: a JSON object.")
    Path predicateFile;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "HOST[:PORT]/REPOSITORY:TAG or HOST[:PORT]/REPOSITORY@DIGEST.")
    String image;

    @Override
    public Integer call() {
        try {
            ImageReference reference = ImageReference.parse(image);
            if (!predicateType.isAbsolute()) {
                throw new IllegalArgumentException("--type must be an absolute URI, not '" + predicateType + "'");
            }
            JsonNode predicate = readPredicate(predicateFile);
            PrivateSigningKey signer = key.read(System.getenv());
            RemoteRegistry registry = client.registry(reference.registry(), System.in);
            Digest digest = Subjects.resolve(registry, reference);
            byte[] statement = InTotoStatement.of(reference.dockerReference(), digest, predicateType.toString(), predicate);
            byte[] envelope = Dsse.envelope(Dsse.IN_TOTO_PAYLOAD_TYPE, statement, signer);
            String tag = AttachmentPush.push(registry, reference.repository(), digest, CosignAttachment.ATTESTATIONS,
                    new CosignAttachment.Layer(envelope, Dsse.ENVELOPE_MEDIA_TYPE,
                            Map.of("predicateType", predicateType.toString(), CosignAttachment.SIGNATURE_ANNOTATION, "")));
            spec.commandLine().getOut().println("attested " + predicateType + " for " + reference.dockerReference() + "@" + digest
                    + " with " + signer.name() + " (" + reference.repository() + ":" + tag + ")");
            return 0;
        } catch (IllegalArgumentException | RemoteRegistry.RemoteFailure | IOException | java.io.UncheckedIOException e) {
            spec.commandLine().getErr().println("berth: " + e.getMessage());
            return 1;
        }
    }

    private static JsonNode readPredicate(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": not found");
        }
        if (Files.size(file) > MAX_PREDICATE_BYTES) {
            throw new IllegalArgumentException(file + ": over " + MAX_PREDICATE_BYTES + " bytes");
        }
        JsonNode predicate;
        try {
            predicate = JSON.readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            throw new IllegalArgumentException(file + ": not JSON (" + notJson.getOriginalMessage() + ")");
        }
        if (predicate == null || !predicate.isObject()) {
            throw new IllegalArgumentException(file + ": the predicate must be a JSON object");
        }
        return predicate;
    }
}
