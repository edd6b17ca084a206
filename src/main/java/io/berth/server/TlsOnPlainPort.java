package io.berth.server;

import java.nio.ByteBuffer;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recognises a TLS handshake sent to the plain HTTP port and closes the connection without a word.
 *
 * <p>skopeo, podman and buildah, told a registry is insecure ({@code --tls-verify=false}), first try
 * HTTPS and fall back to HTTP when that fails. Without this, Jetty parses the TLS ClientHello as an
 * HTTP request, answers {@code 400} and the access log shows {@code BAD /badMessage 400} for every
 * client connection. Closing the connection makes the client fall back just the same, and leaves the
 * access log to requests. A TLS record starts with the content type 22 (handshake) and the major
 * version 3; no HTTP request line starts with byte 22.
 */
final class TlsOnPlainPort extends AbstractConnectionFactory implements ConnectionFactory.Detecting {
    private static final Logger LOG = LoggerFactory.getLogger(TlsOnPlainPort.class);
    private static final byte HANDSHAKE = 0x16;
    private static final byte MAJOR_VERSION = 0x03;

    TlsOnPlainPort() {
        super("tls-on-plain-http");
    }

    @Override
    public Detection detect(ByteBuffer buffer) {
        int start = buffer.position();
        if (buffer.remaining() < 1) {
            return Detection.NEED_MORE_BYTES;
        }
        if (buffer.get(start) != HANDSHAKE) {
            return Detection.NOT_RECOGNIZED;
        }
        if (buffer.remaining() < 2) {
            return Detection.NEED_MORE_BYTES;
        }
        return buffer.get(start + 1) == MAJOR_VERSION ? Detection.RECOGNIZED : Detection.NOT_RECOGNIZED;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        return configure(new Closing(endPoint, connector), connector, endPoint);
    }

    /**
     * Closes its connection as soon as it opens. The detector hands over the bytes it read (an
     * upgrade), which are dropped.
     */
    private static final class Closing extends AbstractConnection implements Connection.UpgradeTo {
        Closing(EndPoint endPoint, Connector connector) {
            super(endPoint, connector.getExecutor());
        }

        @Override
        public void onOpen() {
            super.onOpen();
            LOG.debug("a TLS handshake from {} on the plain HTTP port: connection closed", getEndPoint().getRemoteSocketAddress());
            getEndPoint().close();
        }

        @Override
        public void onUpgradeTo(ByteBuffer buffer) {
            // The handshake's first bytes: nothing to answer.
        }

        @Override
        public void onFillable() {
            getEndPoint().close();
        }
    }
}
