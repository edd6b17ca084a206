package io.berth.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * Many connections that each send the head of a request and part of its body, then nothing more:
 * the slow or hostile client a server must cut off. Held as non-blocking channels, so that
 * thousands cost the test a file descriptor each and no thread.
 */
public final class StalledConnections implements AutoCloseable {
    private final List<Connection> connections;

    private StalledConnections(List<Connection> connections) {
        this.connections = connections;
    }

    /**
     * Opens {@code count} connections to {@code server} and sends each {@code request.apply(index)}
     * (the request line, headers and the part of the body the client will ever send).
     */
    public static StalledConnections open(URI server, int count, IntFunction<byte[]> request) throws IOException {
        InetSocketAddress address = new InetSocketAddress(server.getHost(), server.getPort());
        List<Connection> connections = new ArrayList<>(count);
        StalledConnections stalled = new StalledConnections(connections);
        try {
            for (int index = 0; index < count; index++) {
                SocketChannel channel = SocketChannel.open(address);
                Connection connection = new Connection(channel);
                connections.add(connection);
                ByteBuffer bytes = ByteBuffer.wrap(request.apply(index));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.configureBlocking(false);
            }
        } catch (IOException | RuntimeException e) {
            stalled.close();
            throw e;
        }
        return stalled;
    }

    /** An HTTP/1.1 request head, with {@code headers} given as {@code "Name: value"} lines. */
    public static String head(String method, String target, String... headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: berth\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /** {@code head} followed by {@code partialBody}, as bytes to send. */
    public static byte[] request(String head, byte[] partialBody) {
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + partialBody.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(partialBody, 0, all, headBytes.length, partialBody.length);
        return all;
    }

    /**
     * Reads whatever the server sent since the last poll, without blocking, and returns how many
     * connections the server has not closed yet.
     */
    public int stillOpen() {
        int open = 0;
        for (Connection connection : connections) {
            if (connection.poll()) {
                open++;
            }
        }
        return open;
    }

    /** How many connections got each answer: the HTTP status, or 0 for a connection closed without one. */
    public Map<Integer, Integer> answers() {
        Map<Integer, Integer> answers = new TreeMap<>();
        for (Connection connection : connections) {
            if (!connection.open) {
                answers.merge(connection.status(), 1, Integer::sum);
            }
        }
        return answers;
    }

    /** Everything the server sent on the first connection that got {@code status}, for failure messages. */
    public String firstAnswerWith(int status) {
        return connections.stream().filter(connection -> connection.status() == status).findFirst()
                .map(connection -> connection.received.toString()).orElse("");
    }

    @Override
    public void close() {
        for (Connection connection : connections) {
            try {
                connection.channel.close();
            } catch (IOException e) {
                // Already gone.
            }
        }
    }

    /** One client connection, with the start of what the server answered on it. */
    private static final class Connection {
        private static final int KEPT_ANSWER_CHARACTERS = 2048;

        final SocketChannel channel;
        final StringBuilder received = new StringBuilder();
        boolean open = true;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        /** Reads what is there; whether the connection is still open. */
        boolean poll() {
            if (!open) {
                return false;
            }
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            try {
                int read;
                while ((read = channel.read(buffer)) > 0) {
                    if (received.length() < KEPT_ANSWER_CHARACTERS) {
                        received.append(new String(buffer.array(), 0, read, StandardCharsets.ISO_8859_1));
                    }
                    buffer.clear();
                }
                if (read < 0) {
                    open = false;
                }
            } catch (IOException e) {
                open = false;
            }
            if (!open) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // Closed either way.
                }
            }
            return open;
        }

        int status() {
            if (!received.toString().startsWith("HTTP/1.1 ") || received.length() < 12) {
                return 0;
            }
            return Integer.parseInt(received.substring(9, 12));
        }
    }
}
