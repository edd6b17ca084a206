package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.config.PromotionConfig;
import io.berth.config.PromotionConfig.GateRuleConfig;
import io.berth.config.PromotionConfig.SignaturesConfig;
import io.berth.oci.Digest;
import io.berth.signing.Dsse;
import io.berth.testing.RegistryHttp;
import io.berth.testing.SimpleSigner;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code berth sign} and {@code berth attest} against a running registry: what they attach is what
 * the promotion gates verify, a second signer adds to the attachment instead of replacing it, and
 * bad input is refused with a message naming it before anything is sent.
 */
class SignCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temporary;

    private final SimpleSigner release = SimpleSigner.generate();
    private final SimpleSigner other = SimpleSigner.generate();
    private TestRegistry registry;
    private RegistryHttp http;

    @BeforeEach
    void start() throws Exception {
        Path publicKey = temporary.resolve("release-signing.pub");
        Files.writeString(publicKey, release.publicKeyPem());
        PromotionConfig promotion = new PromotionConfig(List.of(new PromotionConfig.Namespace("candidate/*", "*")),
                List.of(new GateRuleConfig("**", null, null, null, SignaturesConfig.ofFiles(List.of(publicKey.toString())),
                        null, null, null, null)));
        registry = TestRegistry.start(config -> config.withPromotion(promotion));
        http = registry.http();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void aSignatureByBerthSignPassesTheSignatureGate() throws Exception {
        TestBlob image = http.pushSmallImage("candidate/app", "1.0", 1);
        Path key = privateKey("release.key", release);

        Run signed = berth("sign", "--key", key.toString(), "--plain-http", registry.hostPort() + "/candidate/app:1.0");

        assertThat(signed.status()).as(signed.err()).isZero();
        assertThat(signed.out()).contains("signed " + registry.hostPort() + "/candidate/app@" + image.digest() + " with release.key");
        HttpResponse<byte[]> promoted = http.promote("candidate/app:1.0", "app:1.0");
        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isEqualTo(201);
    }

    @Test
    void aSecondSignerAddsALayerAndTheGateStillFindsTheReleaseSignature() throws Exception {
        TestBlob image = http.pushSmallImage("candidate/app", "1.1", 2);

        assertThat(berth("sign", "--key", privateKey("other.key", other).toString(), "--plain-http",
                registry.hostPort() + "/candidate/app@" + image.digest()).status()).isZero();
        assertThat(http.promote("candidate/app:1.1", "app:1.1").statusCode()).as("only another key signed").isEqualTo(409);
        assertThat(berth("sign", "--key", privateKey("release.key", release).toString(), "--plain-http",
                registry.hostPort() + "/candidate/app:1.1").status()).isZero();

        JsonNode attachment = RegistryHttp.json(http.get("/v2/candidate/app/manifests/" + tag(image.digest(), "sig")));
        assertThat(attachment.path("layers")).hasSize(2);
        assertThat(http.promote("candidate/app:1.1", "app:1.1").statusCode()).isEqualTo(201);
    }

    @Test
    void anAttestationIsAnInTotoStatementAboutTheDigestInASignedEnvelope() throws Exception {
        TestBlob image = http.pushSmallImage("candidate/app", "2.0", 3);
        Path report = Files.writeString(temporary.resolve("report.json"), "{\"result\": \"passed\", \"suite\": \"smoke\"}");

        Run attested = berth("attest", "--key", privateKey("release.key", release).toString(),
                "--type", "https://berth.dev/test-result/v1", "--predicate", report.toString(), "--plain-http",
                registry.hostPort() + "/candidate/app:2.0");

        assertThat(attested.status()).as(attested.err()).isZero();
        JsonNode layer = RegistryHttp.json(http.get("/v2/candidate/app/manifests/" + tag(image.digest(), "att")))
                .path("layers").get(0);
        assertThat(layer.path("mediaType").asText()).isEqualTo(Dsse.ENVELOPE_MEDIA_TYPE);
        assertThat(layer.path("annotations").path("predicateType").asText()).isEqualTo("https://berth.dev/test-result/v1");
        JsonNode envelope = RegistryHttp.json(http.get("/v2/candidate/app/blobs/" + layer.path("digest").asText()));
        byte[] statement = Base64.getDecoder().decode(envelope.path("payload").asText());
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(release.keys().getPublic());
        verifier.update(Dsse.preAuthenticationEncoding(envelope.path("payloadType").asText(), statement));
        assertThat(verifier.verify(Base64.getDecoder().decode(envelope.path("signatures").get(0).path("sig").asText())))
                .as("the envelope's signature covers its payload type and statement").isTrue();
        JsonNode parsed = JSON.readTree(statement);
        assertThat(parsed.path("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(parsed.path("subject").get(0).path("digest").path("sha256").asText()).isEqualTo(image.digest().encoded());
        assertThat(parsed.path("predicate").path("result").asText()).isEqualTo("passed");
    }

    @Test
    void badInputIsRefusedNamingItAndNothingIsAttached() throws Exception {
        TestBlob image = http.pushSmallImage("candidate/app", "3.0", 4);
        Path key = privateKey("release.key", release);
        String name = registry.hostPort() + "/candidate/app:3.0";
        Path notJson = Files.writeString(temporary.resolve("notes.txt"), "passed, mostly");
        Path publicOnly = Files.writeString(temporary.resolve("release.pub"), release.publicKeyPem());

        assertThat(berth("sign", "--key", temporary.resolve("absent.key").toString(), "--plain-http", name).err())
                .contains("absent.key: not found");
        assertThat(berth("sign", "--key", publicOnly.toString(), "--plain-http", name).err())
                .contains("holds a PUBLIC KEY block; a PKCS #8 PRIVATE KEY is needed");
        assertThat(berth("sign", "--key", key.toString(), "--plain-http", "candidate/app:3.0").err()).contains("names no registry");
        assertThat(berth("sign", "--key", key.toString(), "--plain-http", registry.hostPort() + "/candidate/app").err())
                .contains("names no tag or digest");
        assertThat(berth("sign", "--key", key.toString(), "--plain-http", registry.hostPort() + "/candidate/app:9.9").err())
                .contains("does not exist");
        assertThat(berth("sign", "--key", key.toString(), "--plain-http", "--username", "releng", name).err())
                .contains("--username needs --password-stdin");
        assertThat(berth("attest", "--key", key.toString(), "--type", "https://berth.dev/test-result/v1",
                "--predicate", notJson.toString(), "--plain-http", name).err()).contains("notes.txt: not JSON");
        assertThat(berth("attest", "--key", key.toString(), "--type", "test-result",
                "--predicate", notJson.toString(), "--plain-http", name).err()).contains("--type must be an absolute URI");

        assertThat(http.get("/v2/candidate/app/manifests/" + tag(image.digest(), "sig")).statusCode()).isEqualTo(404);
        assertThat(http.get("/v2/candidate/app/manifests/" + tag(image.digest(), "att")).statusCode()).isEqualTo(404);
    }

    @Test
    void aKeyPairMadeByBerthIsEncryptedAsCosignDoesAndSignsOnceOpened() throws Exception {
        TestBlob image = http.pushSmallImage("candidate/app", "4.0", 5);
        Path passphrase = Files.writeString(temporary.resolve("passphrase"), "correct horse\n");
        Path wrong = Files.writeString(temporary.resolve("wrong"), "battery staple\n");
        String prefix = temporary.resolve("releng").toString();

        Run made = berth("generate-key-pair", "--output-key-prefix", prefix, "--passphrase-file", passphrase.toString());

        assertThat(made.status()).as(made.err()).isZero();
        Path privateKey = Path.of(prefix + ".key");
        assertThat(Files.readString(privateKey)).startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");
        assertThat(berth("generate-key-pair", "--output-key-prefix", prefix, "--passphrase-file", passphrase.toString()).err())
                .as("an existing pair is never replaced").contains("releng.key exists; nothing was written");

        String name = registry.hostPort() + "/candidate/app:4.0";
        assertThat(berth("sign", "--key", privateKey.toString(), "--passphrase-file", wrong.toString(), "--plain-http", name).err())
                .contains("wrong passphrase for the encrypted key");
        Run signed = berth("sign", "--key", privateKey.toString(), "--passphrase-file", passphrase.toString(), "--plain-http", name);
        assertThat(signed.status()).as(signed.err()).isZero();

        JsonNode layer = RegistryHttp.json(http.get("/v2/candidate/app/manifests/" + tag(image.digest(), "sig"))).path("layers").get(0);
        byte[] payload = http.get("/v2/candidate/app/blobs/" + layer.path("digest").asText()).body();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(io.berth.promotion.SigningKey.fromPem("releng.pub", Files.readString(Path.of(prefix + ".pub"))).key());
        verifier.update(payload);
        assertThat(verifier.verify(Base64.getDecoder().decode(layer.path("annotations").path("dev.cosignproject.cosign/signature").asText())))
                .as("the public key written beside it verifies the signature").isTrue();
    }

    record Run(int status, String out, String err) {
    }

    static Run berth(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = BerthCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int status = command.execute(arguments);
        return new Run(status, out.toString(), err.toString());
    }

    private Path privateKey(String name, SimpleSigner signer) throws Exception {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(signer.keys().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return Files.writeString(temporary.resolve(name), pem);
    }

    private static String tag(Digest digest, String suffix) {
        return digest.algorithm().identifier() + "-" + digest.encoded() + "." + suffix;
    }


}
