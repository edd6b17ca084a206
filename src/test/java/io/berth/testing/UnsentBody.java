package io.berth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A request that declares a body far larger than it ever sends, and the status the server answers
 * with: a server that waited for the body before deciding would not answer within the timeout.
 * The declared length is past what a server drains before answering a refusal, so the answer must
 * come from the head alone.
 */
public final class UnsentBody {
    /** Declared and never sent: 1 GiB. */
    public static final long DECLARED_BYTES = 1L << 30;

    private UnsentBody() {
    }

    /**
     * Sends the head of {@code method target} with {@code headers} ("Name: value") and the first 16
     * bytes of the body, then waits up to {@code timeout} for the status line.
     *
     * @return the status line, e.g. {@code HTTP/1.1 405 Method Not Allowed}
     * @throws java.net.SocketTimeoutException when the server did not answer in time
     */
    public static String statusLine(URI server, String method, String target, Duration timeout, String... headers)
            throws IOException {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout((int) timeout.toMillis());
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(server.getHost()).append(':').append(server.getPort()).append("\r\n")
                    .append("Content-Length: ").append(DECLARED_BYTES).append("\r\n");
            for (String header : headers) {
                head.append(header).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[16]);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int next;
            while ((next = in.read()) != -1 && next != '\n') {
                if (next != '\r') {
                    line.append((char) next);
                }
            }
            return line.toString();
        }
    }
}
