package io.berth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port in front of a server, that a test can turn into the two ways a
 * network loses a server: {@link #refuse()} (connections are reset and new ones refused, as when the
 * server is down) and {@link #blackHole()} (connections stay open and new ones are accepted, but
 * nothing comes back, as behind a dropped route or a frozen host). {@link #forward()} heals it.
 */
public final class TcpRelay implements AutoCloseable {
    private enum Mode { FORWARD, REFUSE, BLACK_HOLE }

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.FORWARD;
    private volatile ServerSocket listener;

    private TcpRelay(InetSocketAddress target, ServerSocket listener) {
        this.target = target;
        this.listener = listener;
        this.port = listener.getLocalPort();
        acceptOn(listener);
    }

    /** Relays a free loopback port to {@code host:port}. */
    public static TcpRelay to(String host, int port) throws IOException {
        return new TcpRelay(new InetSocketAddress(host, port), listen(0));
    }

    /** The port clients connect to. */
    public int port() {
        return port;
    }

    /** Resets every connection and refuses new ones: nothing listens on the port any more. */
    public synchronized void refuse() throws IOException {
        mode = Mode.REFUSE;
        listener.close();
        closeConnections();
    }

    /** Keeps connections open and accepts new ones, but drops everything either side sends. */
    public synchronized void blackHole() throws IOException {
        if (mode == Mode.REFUSE) {
            listener = listen(port);
            acceptOn(listener);
        }
        mode = Mode.BLACK_HOLE;
    }

    /**
     * Relays again. Connections that lived through the outage are reset first, as a healed network
     * finds them (their bytes were lost); new ones reach the server.
     */
    public synchronized void forward() throws IOException {
        closeConnections();
        if (mode == Mode.REFUSE) {
            listener = listen(port);
            acceptOn(listener);
        }
        mode = Mode.FORWARD;
    }

    @Override
    public synchronized void close() throws IOException {
        mode = Mode.REFUSE;
        listener.close();
        closeConnections();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void acceptOn(ServerSocket socket) {
        Thread.ofVirtual().name("tcp-relay-accept").start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    open.add(client);
                    Thread.ofVirtual().name("tcp-relay-connection").start(() -> relay(client));
                } catch (IOException e) {
                    // The listener was closed.
                }
            }
        });
    }

    private void relay(Socket client) {
        if (mode == Mode.BLACK_HOLE) {
            drop(client);
            return;
        }
        try {
            Socket server = new Socket(target.getAddress(), target.getPort());
            open.add(server);
            Thread.ofVirtual().name("tcp-relay-upstream").start(() -> copy(client, server));
            copy(server, client);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /** Reads and discards what the client sends, answering nothing, until the socket closes. */
    private void drop(Socket client) {
        try (InputStream in = client.getInputStream()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // Closed by forward() or close().
        } finally {
            closeQuietly(client);
        }
    }

    /** Copies one direction while forwarding; in a black hole the bytes read vanish. */
    private void copy(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                if (mode == Mode.FORWARD) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // One side closed; close the other.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeConnections() {
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }
}
