package io.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token signing key: generated on first start into a JWK file only its owner may read, and
 * read back as the same key ever after; or an operator's EC P-256 key in PEM (SEC1 or PKCS#8).
 * Trusted issuers' keys are read as public keys only.
 */
class SigningKeysTest {
    @TempDir
    Path directory;

    @Test
    void generatesAP256KeyIntoAFileOnlyItsOwnerMayRead() throws IOException, JOSEException {
        Path file = directory.resolve("auth/token-signing-key.jwk.json");

        ECKey key = SigningKeys.loadOrCreate(file);

        assertThat(file).exists();
        assertThat(key.getCurve()).isEqualTo(Curve.P_256);
        assertThat(key.isPrivate()).isTrue();
        assertThat(key.getKeyID()).isEqualTo(key.computeThumbprint().toString());
        JsonNode json = new ObjectMapper().readTree(Files.readString(file));
        assertThat(json.path("kty").asText()).isEqualTo("EC");
        assertThat(json.path("d").asText()).isEqualTo(key.getD().toString());
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void readsTheGeneratedKeyBackIdentically() throws IOException {
        Path file = directory.resolve("key.jwk.json");
        ECKey generated = SigningKeys.loadOrCreate(file);
        String written = Files.readString(file);

        ECKey reloaded = SigningKeys.loadOrCreate(file);

        assertThat(reloaded).isEqualTo(generated);
        assertThat(reloaded.getKeyID()).isEqualTo(generated.getKeyID());
        assertThat(Files.readString(file)).isEqualTo(written);
    }

    @Test
    void aFileThatIsNotAnEcJwkIsRefused() throws IOException {
        Path file = Files.writeString(directory.resolve("key.jwk.json"), "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}");

        assertThatIllegalArgumentException().isThrownBy(() -> SigningKeys.loadOrCreate(file))
                .withMessageContaining(file.toString());
    }

    @Test
    void loadsASec1PemKey() throws IOException {
        KeyPair pair = PemFiles.ecKeyPair("secp256r1");
        Path file = PemFiles.sec1(directory.resolve("key.pem"), pair);
        assertThat(Files.readString(file)).startsWith("-----BEGIN EC PRIVATE KEY-----");

        assertIsThePair(SigningKeys.load(file), pair);
    }

    @Test
    void loadsAPkcs8PemKey() throws IOException {
        KeyPair pair = PemFiles.ecKeyPair("secp256r1");
        Path file = PemFiles.pkcs8(directory.resolve("key.pem"), pair);
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");

        assertIsThePair(SigningKeys.load(file), pair);
    }

    @Test
    void theSameKeyInEitherPemFormHasTheSameKeyId() {
        KeyPair pair = PemFiles.ecKeyPair("secp256r1");

        ECKey fromSec1 = SigningKeys.load(PemFiles.sec1(directory.resolve("sec1.pem"), pair));
        ECKey fromPkcs8 = SigningKeys.load(PemFiles.pkcs8(directory.resolve("pkcs8.pem"), pair));

        assertThat(fromSec1.getKeyID()).isNotBlank().isEqualTo(fromPkcs8.getKeyID());
    }

    @Test
    void anRsaKeyIsRefused() {
        Path file = PemFiles.pkcs8(directory.resolve("rsa.pem"), PemFiles.rsaKeyPair());

        assertThatIllegalArgumentException().isThrownBy(() -> SigningKeys.load(file)).withMessageContaining("EC P-256");
    }

    @Test
    void anEcKeyOnAnotherCurveIsRefused() {
        Path file = PemFiles.pkcs8(directory.resolve("p384.pem"), PemFiles.ecKeyPair("secp384r1"));

        assertThatIllegalArgumentException().isThrownBy(() -> SigningKeys.load(file));
    }

    @Test
    void aPublicKeyAloneIsRefused() {
        Path file = PemFiles.publicKey(directory.resolve("public.pem"), PemFiles.ecKeyPair("secp256r1"));

        assertThatIllegalArgumentException().isThrownBy(() -> SigningKeys.load(file))
                .withMessageContaining("no private key");
    }

    @Test
    void trustedKeysFromAJwksArePublicOnly() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        RSAKey rsa = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("rsa-1").generate();
        // An operator who pastes the private keys by mistake must not make Berth hold them.
        Path file = Files.writeString(directory.resolve("issuer.jwks.json"), new JWKSet(List.of(ec, rsa)).toString(false));

        List<JWK> keys = SigningKeys.trustedKeys(file, true);

        assertThat(keys).extracting(JWK::getKeyID).containsExactly("ec-1", "rsa-1");
        assertThat(keys).noneMatch(JWK::isPrivate);
        assertThat(keys).containsExactly(ec.toPublicJWK(), rsa.toPublicJWK());
    }

    @Test
    void aTrustedKeyMayBeAPemPublicKey() throws JOSEException {
        KeyPair pair = PemFiles.ecKeyPair("secp256r1");

        List<JWK> keys = SigningKeys.trustedKeys(PemFiles.publicKey(directory.resolve("issuer.pem"), pair), false);

        assertThat(keys).hasSize(1);
        assertThat(keys.getFirst().isPrivate()).isFalse();
        assertThat(keys.getFirst().toECKey().toECPublicKey().getW()).isEqualTo(((ECPublicKey) pair.getPublic()).getW());
    }

    @Test
    void aTrustedKeyMayBeAPemCertificate() throws JOSEException {
        KeyPair pair = PemFiles.rsaKeyPair();

        List<JWK> keys = SigningKeys.trustedKeys(
                PemFiles.certificate(directory.resolve("issuer.crt"), pair, "SHA256withRSA"), false);

        assertThat(keys).hasSize(1);
        assertThat(keys.getFirst().isPrivate()).isFalse();
        assertThat(keys.getFirst().toRSAKey().toRSAPublicKey()).isEqualTo(pair.getPublic());
    }

    private static void assertIsThePair(ECKey key, KeyPair pair) {
        try {
            assertThat(key.getCurve()).isEqualTo(Curve.P_256);
            assertThat(key.isPrivate()).isTrue();
            assertThat(key.toECPrivateKey().getS()).isEqualTo(((ECPrivateKey) pair.getPrivate()).getS());
            // The public half is computed from the private scalar; it must be the pair's own.
            assertThat(key.toECPublicKey().getW()).isEqualTo(((ECPublicKey) pair.getPublic()).getW());
            assertThat(key.getKeyID()).isEqualTo(key.computeThumbprint().toString());
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }
}
