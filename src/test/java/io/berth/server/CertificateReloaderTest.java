package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.server.CertificateReloader.Outcome;
import io.berth.testing.TestCertificates;
import io.berth.testing.TestCertificates.IssuedCertificate;
import io.berth.testing.TestCertificates.KeyFormat;
import io.berth.testing.TestCertificates.KeyType;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replacing the certificate and key files of a running TLS context: each look at the files
 * reloads a changed, valid pair, keeps the served pair when the new one is unusable, and rereads
 * nothing while the files stay as they are.
 */
class CertificateReloaderTest {
    private static TestCertificates authority;
    private static IssuedCertificate first;
    private static IssuedCertificate second;

    @TempDir
    Path directory;
    private Path certificateFile;
    private Path keyFile;
    private CertificateReloader reloader;
    private SslContextFactory.Server ssl;

    @BeforeAll
    static void issueCertificates() {
        authority = TestCertificates.newAuthority();
        first = authority.issueServerCertificate(KeyType.EC);
        second = authority.issueServerCertificate(KeyType.RSA);
    }

    @BeforeEach
    void startContextWithTheFirstPair() throws Exception {
        certificateFile = directory.resolve("tls.crt");
        keyFile = directory.resolve("tls.key");
        first.write(certificateFile, keyFile);
        reloader = CertificateReloader.open(certificateFile, keyFile, Duration.ofMillis(50),
                TlsConnectorFactory::sslContextFactory);
        ssl = reloader.sslContextFactory();
        ssl.start();
    }

    @AfterEach
    void stop() throws Exception {
        reloader.close();
        ssl.stop();
    }

    @Test
    void servesThePairReadAtStart() throws KeyStoreException {
        assertThat(servedSerial()).isEqualTo(first.serialNumber());
        assertThat(reloader.served().leaf()).isEqualTo(first.certificate());
    }

    @Test
    void unchangedFilesAreNotReloaded() {
        assertThat(reloader.reloadIfChanged()).isEqualTo(Outcome.UNCHANGED);
        assertThat(reloader.reloadIfChanged()).isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    void aReplacedPairIsServedFromTheNextLook() throws KeyStoreException {
        second.write(certificateFile, keyFile);

        assertThat(reloader.reloadIfChanged()).isEqualTo(Outcome.RELOADED);

        assertThat(servedSerial()).isEqualTo(second.serialNumber());
        assertThat(reloader.served().leaf()).isEqualTo(second.certificate());
        assertThat(reloader.reloadIfChanged()).isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    void aCorruptCertificateKeepsTheServedPairUntilTheFilesChangeAgain() throws KeyStoreException {
        TestCertificates.replace(certificateFile, "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");

        assertThat(reloader.reloadIfChanged()).isEqualTo(Outcome.REJECTED);
        assertThat(servedSerial()).isEqualTo(first.serialNumber());
        assertThat(reloader.reloadIfChanged()).as("a rejected pair is not read again while the files stay as they are")
                .isEqualTo(Outcome.UNCHANGED);

        second.write(certificateFile, keyFile);
        assertThat(reloader.reloadIfChanged()).isEqualTo(Outcome.RELOADED);
        assertThat(servedSerial()).isEqualTo(second.serialNumber());
    }

    @Test
    void aCertificateWrittenBeforeItsKeyIsServedOnceTheKeyFollows() throws KeyStoreException {
        second.writeChain(certificateFile);

        assertThat(reloader.reloadIfChanged()).as("the new certificate with the old key").isEqualTo(Outcome.REJECTED);
        assertThat(servedSerial()).isEqualTo(first.serialNumber());

        second.writeKey(keyFile, KeyFormat.TRADITIONAL);
        assertThat(reloader.reloadIfChanged()).isEqualTo(Outcome.RELOADED);
        assertThat(servedSerial()).isEqualTo(second.serialNumber());
    }

    @Test
    void aMissingKeyFileKeepsTheServedPairUntilItIsBack() throws Exception {
        Files.delete(keyFile);

        assertThat(reloader.reloadIfChanged()).isEqualTo(Outcome.REJECTED);
        assertThat(reloader.reloadIfChanged()).isEqualTo(Outcome.UNCHANGED);
        assertThat(servedSerial()).isEqualTo(first.serialNumber());

        second.write(certificateFile, keyFile);
        assertThat(reloader.reloadIfChanged()).isEqualTo(Outcome.RELOADED);
        assertThat(servedSerial()).isEqualTo(second.serialNumber());
    }

    @Test
    void onceStartedItLooksOnItsOwnUntilClosed() throws Exception {
        reloader.start();
        second.write(certificateFile, keyFile);
        awaitServedSerial(second.serialNumber());

        reloader.close();
        first.write(certificateFile, keyFile);
        Thread.sleep(500);

        assertThat(servedSerial()).as("no look after close").isEqualTo(second.serialNumber());
    }

    private BigInteger servedSerial() throws KeyStoreException {
        return ((X509Certificate) ssl.getKeyStore().getCertificate(PemKeyStore.ALIAS)).getSerialNumber();
    }

    private void awaitServedSerial(BigInteger expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!servedSerial().equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(servedSerial()).isEqualTo(expected);
    }
}
