package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.berth.config.ConfigException;
import io.berth.testing.TestCertificates;
import io.berth.testing.TestCertificates.IssuedCertificate;
import io.berth.testing.TestCertificates.KeyFormat;
import io.berth.testing.TestCertificates.KeyType;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Key;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading a PEM certificate chain and private key into the key store the TLS connector serves. */
class PemKeyStoreTest {
    /** The {@code EC PARAMETERS} block (the P-256 curve's name) that {@code openssl ecparam -genkey} writes before the key. */
    private static final String P256_PARAMETERS = """
            -----BEGIN EC PARAMETERS-----
            BggqhkjOPQMBBw==
            -----END EC PARAMETERS-----
            """;

    private static TestCertificates authority;
    private static IssuedCertificate rsa;
    private static IssuedCertificate ec;

    @TempDir
    Path directory;
    private Path certificateFile;
    private Path keyFile;

    @BeforeAll
    static void issueCertificates() {
        authority = TestCertificates.newAuthority();
        rsa = authority.issueServerCertificate(KeyType.RSA);
        ec = authority.issueServerCertificate(KeyType.EC);
    }

    @BeforeEach
    void nameFiles() {
        certificateFile = directory.resolve("server.crt");
        keyFile = directory.resolve("server.key");
    }

    @ParameterizedTest(name = "{0} key as {1}")
    @CsvSource({"RSA, PKCS8", "RSA, TRADITIONAL", "EC, PKCS8", "EC, TRADITIONAL"})
    void readsRsaAndEcKeysInPkcs8AndTraditionalForms(KeyType type, KeyFormat format) throws Exception {
        IssuedCertificate issued = type == KeyType.RSA ? rsa : ec;
        issued.writeChain(certificateFile);
        issued.writeKey(keyFile, format);

        PemKeyStore credentials = PemKeyStore.read(certificateFile, keyFile);

        KeyStore keyStore = credentials.keyStore();
        assertThat(secret(keyStore.getKey(PemKeyStore.ALIAS, PemKeyStore.KEY_PASSWORD.toCharArray())))
                .isEqualTo(secret(issued.key()));
        assertThat(keyStore.getCertificateChain(PemKeyStore.ALIAS))
                .as("the server's certificate, then its issuer")
                .containsExactly(issued.certificate(), authority.authority());
        assertThat(credentials.leaf()).isEqualTo(issued.certificate());
        assertThat(credentials.summary()).contains("CN=localhost").contains(issued.serialNumber().toString(16));
    }

    @Test
    void skipsTheEcParametersBlockBeforeASec1Key() throws Exception {
        ec.writeChain(certificateFile);
        ec.writeKey(keyFile, KeyFormat.TRADITIONAL);
        Files.writeString(keyFile, P256_PARAMETERS + Files.readString(keyFile));

        assertThat(secret(PemKeyStore.read(certificateFile, keyFile).keyStore()
                .getKey(PemKeyStore.ALIAS, PemKeyStore.KEY_PASSWORD.toCharArray())))
                .isEqualTo(secret(ec.key()));
    }

    /**
     * The secret number of a key: encodings differ in optional parts (a SEC1 key carries its
     * public point, a JDK key does not), so keys are compared by what makes them the same key.
     */
    private static BigInteger secret(Key key) {
        return switch (key) {
            case RSAPrivateKey rsaKey -> rsaKey.getPrivateExponent();
            case ECPrivateKey ecKey -> ecKey.getS();
            default -> throw new AssertionError("not an RSA or EC private key: " + key);
        };
    }

    @Test
    void namesAKeyInTheCertificateFileInPemWordsNotTheParsersClassNames() {
        rsa.writeKey(certificateFile, KeyFormat.PKCS8);
        rsa.writeKey(keyFile, KeyFormat.PKCS8);

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> PemKeyStore.read(certificateFile, keyFile))
                .withMessage("the TLS certificate file " + certificateFile
                        + " holds a private key where only CERTIFICATE blocks belong");
    }

    @Test
    void refusesAKeyThatBelongsToAnotherCertificate() {
        rsa.writeChain(certificateFile);
        authority.issueServerCertificate(KeyType.RSA).writeKey(keyFile, KeyFormat.PKCS8);

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> PemKeyStore.read(certificateFile, keyFile))
                .withMessageContaining(keyFile.toString())
                .withMessageContaining("does not belong to the first certificate");
    }

    @Test
    void refusesAKeyOfAnotherAlgorithmThanTheCertificate() {
        rsa.writeChain(certificateFile);
        ec.writeKey(keyFile, KeyFormat.PKCS8);

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> PemKeyStore.read(certificateFile, keyFile))
                .withMessageContaining("does not belong to the first certificate");
    }

    @Test
    void refusesAChainThatDoesNotStartWithTheServersCertificate() {
        TestCertificates.replace(certificateFile, TestCertificates.pem(authority.authority()) + TestCertificates.pem(ec.certificate()));
        ec.writeKey(keyFile, KeyFormat.PKCS8);

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> PemKeyStore.read(certificateFile, keyFile))
                .withMessageContaining("must start with the server's own certificate");
    }

    @Test
    void refusesAnEncryptedKeySayingHowToDecryptIt() {
        ec.writeChain(certificateFile);
        ec.writeKey(keyFile, KeyFormat.ENCRYPTED_PKCS8);

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> PemKeyStore.read(certificateFile, keyFile))
                .withMessageContaining(keyFile.toString())
                .withMessageContaining("encrypted")
                .withMessageContaining("openssl pkey");
    }

    @Test
    void refusesACertificateFileWithoutCertificates() {
        TestCertificates.replace(certificateFile, "not a certificate\n");
        ec.writeKey(keyFile, KeyFormat.PKCS8);

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> PemKeyStore.read(certificateFile, keyFile))
                .withMessageContaining(certificateFile.toString())
                .withMessageContaining("no PEM CERTIFICATE block");
    }

    @Test
    void refusesACorruptCertificate() {
        TestCertificates.replace(certificateFile, "-----BEGIN CERTIFICATE-----\nbm90IERFUg==\n-----END CERTIFICATE-----\n");
        ec.writeKey(keyFile, KeyFormat.PKCS8);

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> PemKeyStore.read(certificateFile, keyFile))
                .withMessageContaining("cannot read the TLS certificate file " + certificateFile);
    }

    @Test
    void refusesAKeyWhereTheCertificateBelongs() {
        ec.writeKey(certificateFile, KeyFormat.PKCS8);
        ec.writeKey(keyFile, KeyFormat.PKCS8);

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> PemKeyStore.read(certificateFile, keyFile))
                .withMessageContaining(certificateFile.toString())
                .withMessageContaining("only CERTIFICATE blocks belong");
    }

    @Test
    void refusesAKeyFileWithoutAKey() {
        ec.writeChain(certificateFile);
        ec.writeChain(keyFile);

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> PemKeyStore.read(certificateFile, keyFile))
                .withMessageContaining(keyFile.toString())
                .withMessageContaining("where a private key belongs");
    }

    @Test
    void refusesAMissingFileNamingIt() {
        ec.writeChain(certificateFile);

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> PemKeyStore.read(certificateFile, keyFile))
                .withMessage("the TLS file " + keyFile + " does not exist");
    }
}
