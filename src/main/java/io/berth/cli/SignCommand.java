package io.berth.cli;

import io.berth.oci.Digest;
import io.berth.promotion.RemoteRegistry;
import io.berth.signing.CosignAttachment;
import io.berth.signing.PrivateSigningKey;
import io.berth.signing.SimpleSigningPayload;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth sign --key KEY IMAGE}: signs an image in a registry as {@code cosign sign --key}
 * does, a simple-signing signature of its digest attached under {@code sha256-<hex>.sig}, the form
 * the {@code required-signatures} gate verifies ({@code docs/promotion.md}, "Signing a candidate").
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Sign an image in a registry with a key (cosign's .sig attachment).")
final class SignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RegistryClientOptions client;

    @Mixin
    KeyOptions key;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "HOST[:PORT]/REPOSITORY:TAG or HOST[:PORT]/REPOSITORY@DIGEST.")
    String image;

    @Override
    public Integer call() {
        try {
            ImageReference reference = ImageReference.parse(image);
            PrivateSigningKey signer = key.read(System.getenv());
            RemoteRegistry registry = client.registry(reference.registry(), System.in);
            Digest digest = Subjects.resolve(registry, reference);
            byte[] payload = SimpleSigningPayload.of(reference.named(), digest);
            String signature = Base64.getEncoder().encodeToString(signer.sign(payload));
            String tag = AttachmentPush.push(registry, reference.repository(), digest, CosignAttachment.SIGNATURES,
                    new CosignAttachment.Layer(payload, SimpleSigningPayload.MEDIA_TYPE,
                            Map.of(CosignAttachment.SIGNATURE_ANNOTATION, signature)));
            spec.commandLine().getOut().println("signed " + reference.dockerReference() + "@" + digest + " with " + signer.name()
                    + " (" + reference.repository() + ":" + tag + ")");
            return 0;
        } catch (IllegalArgumentException | RemoteRegistry.RemoteFailure | java.io.IOException | java.io.UncheckedIOException e) {
            spec.commandLine().getErr().println("berth: " + e.getMessage());
            return 1;
        }
    }
}
