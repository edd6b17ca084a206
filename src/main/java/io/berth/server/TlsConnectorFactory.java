package io.berth.server;

import java.util.List;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Builds the HTTPS connector: TLS 1.3 and TLS 1.2 only, TLS 1.2 restricted to ECDHE key exchange
 * with AEAD ciphers, and ALPN (RFC 7301) choosing HTTP/2 (RFC 9113) when the client offers
 * {@code h2}, HTTP/1.1 otherwise.
 */
final class TlsConnectorFactory {
    /** The protocol versions served; TLS 1.0 and 1.1 (RFC 8996) and SSL are refused. */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * The cipher suites served. Every TLS 1.3 suite is AEAD with ephemeral key exchange; for TLS 1.2
     * these are the ECDHE and AEAD suites, which are also the ones RFC 9113 section 9.2.2 allows
     * HTTP/2 to use. Both RSA and EC certificates are covered.
     */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private static final String ALPN_HTTP2 = "h2";
    private static final String ALPN_HTTP11 = "http/1.1";

    /** What the connector speaks, for the start-up line. */
    static final String DESCRIPTION = "TLS 1.3 and 1.2; HTTP/2 or HTTP/1.1 by ALPN";

    private TlsConnectorFactory() {
    }

    /** The TLS context of the connector, serving the certificate and key of {@code credentials}. */
    static SslContextFactory.Server sslContextFactory(PemKeyStore credentials) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(credentials.keyStore());
        ssl.setKeyManagerPassword(PemKeyStore.KEY_PASSWORD);
        ssl.setIncludeProtocols(PROTOCOLS.toArray(String[]::new));
        ssl.setIncludeCipherSuites(CIPHER_SUITES.toArray(String[]::new));
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
        ssl.setUseCipherSuitesOrder(true);
        // A certificate for "localhost" still serves a client that connects to 127.0.0.1 and sends no SNI.
        ssl.setSniRequired(false);
        return ssl;
    }

    /**
     * A connector that speaks TLS through {@code ssl}, then HTTP/2 or HTTP/1.1 as ALPN decides
     * (HTTP/1.1 for clients without ALPN), with the settings of {@code http} plus the secure
     * request details ({@code https} scheme, TLS session attributes).
     */
    static ServerConnector create(Server jetty, HttpConfiguration http, SslContextFactory.Server ssl) {
        HttpConfiguration https = new HttpConfiguration(http);
        // Off so that https://127.0.0.1:PORT/ works with a certificate naming localhost and 127.0.0.1.
        https.addCustomizer(new SecureRequestCustomizer(false));
        HttpConnectionFactory http11 = new HttpConnectionFactory(https);
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(https);
        // The ALPN identifiers of RFC 7301 section 6 and RFC 9113 section 3.2, in order of preference;
        // Jetty finds each one's connection factory by name, ignoring case ("HTTP/1.1" is http11's name).
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(ALPN_HTTP2, ALPN_HTTP11);
        alpn.setDefaultProtocol(ALPN_HTTP11);
        SslConnectionFactory tls = new SslConnectionFactory(ssl, alpn.getProtocol());
        return new ServerConnector(jetty, tls, alpn, http2, http11);
    }
}
