package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.server.CertificateReloader.Outcome;
import io.berth.testing.LogCapture;
import io.berth.testing.MutableClock;
import io.berth.testing.TestCertificates;
import io.berth.testing.TestCertificates.IssuedCertificate;
import io.berth.testing.TestCertificates.KeyType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a certificate that clients will refuse for its dates — expired, or not valid yet — is a
 * warning in the log, at start and at reload; a certificate within its validity period is an info
 * line. The test certificates are valid from an hour ago to a day from now; the clock moves
 * instead of the certificates.
 */
class CertificateValidityLogTest {
    private static TestCertificates authority;
    private static IssuedCertificate first;
    private static IssuedCertificate second;

    @TempDir
    Path directory;
    private CertificateReloader reloader;

    @AfterEach
    void stop() throws Exception {
        reloader.close();
        reloader.sslContextFactory().stop();
    }

    @BeforeAll
    static void issueCertificates() {
        authority = TestCertificates.newAuthority();
        first = authority.issueServerCertificate(KeyType.EC);
        second = authority.issueServerCertificate(KeyType.EC);
    }

    @Test
    void startingWithAnExpiredCertificateIsAWarning() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            start(new MutableClock(Instant.now().plus(Duration.ofDays(2))));

            assertThat(log.lines("WARN", "CertificateReloader")).singleElement().asString()
                    .contains("clients will refuse it", "'CN=localhost' expired at");
            assertThat(log.lines("INFO", "CertificateReloader")).isEmpty();
        }
    }

    /** The same with the system clock, through the server's own way of opening the files. */
    @Test
    void startingWithACertificateThatExpiredYesterdayIsAWarning() throws Exception {
        Instant now = Instant.now();
        IssuedCertificate expired = authority.issueServerCertificate(KeyType.EC, now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)));
        Path certificateFile = directory.resolve("tls.crt");
        Path keyFile = directory.resolve("tls.key");
        expired.write(certificateFile, keyFile);
        try (LogCapture log = LogCapture.start()) {
            reloader = CertificateReloader.open(certificateFile, keyFile, Duration.ofHours(1),
                    TlsConnectorFactory::sslContextFactory);
            reloader.sslContextFactory().start();
            reloader.start();

            assertThat(log.lines("WARN", "CertificateReloader")).singleElement().asString()
                    .contains("clients will refuse it", "'CN=localhost' expired at");
            assertThat(log.lines("INFO", "CertificateReloader")).isEmpty();
        }
    }

    @Test
    void startingWithACertificateNotValidYetIsAWarning() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            start(new MutableClock(Instant.now().minus(Duration.ofHours(2))));

            assertThat(log.lines("WARN", "CertificateReloader")).singleElement().asString()
                    .contains("clients will refuse it", "is not valid before");
            assertThat(log.lines("INFO", "CertificateReloader")).isEmpty();
        }
    }

    @Test
    void startingWithAValidCertificateIsAnInfoLine() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            start(new MutableClock(Instant.now()));

            assertThat(log.lines("INFO", "CertificateReloader")).singleElement().asString().contains("'CN=localhost'");
            assertThat(log.lines("WARN", "CertificateReloader")).isEmpty();
        }
    }

    @Test
    void reloadingAnExpiredCertificateIsAWarning() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        start(clock);
        try (LogCapture log = LogCapture.start()) {
            clock.advance(Duration.ofDays(2));
            second.write(directory.resolve("tls.crt"), directory.resolve("tls.key"));

            assertThat(reloader.reloadIfChanged()).isEqualTo(Outcome.RELOADED);

            assertThat(log.lines("WARN", "CertificateReloader")).singleElement().asString()
                    .contains("now serving", "which clients will refuse", "expired at");
            assertThat(log.lines("INFO", "CertificateReloader")).isEmpty();
        }
    }

    /** Opens and starts a reloader over the first pair, judging dates by {@code clock}; it looks at the files only when asked. */
    private void start(MutableClock clock) throws Exception {
        Path certificateFile = directory.resolve("tls.crt");
        Path keyFile = directory.resolve("tls.key");
        first.write(certificateFile, keyFile);
        reloader = CertificateReloader.open(certificateFile, keyFile, Duration.ofHours(1),
                TlsConnectorFactory::sslContextFactory, clock);
        SslContextFactory.Server ssl = reloader.sslContextFactory();
        ssl.start();
        reloader.start();
    }
}
