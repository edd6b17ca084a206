package io.berth.testing;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain static web server over a directory, standing in for a download mirror: the JDK's file
 * server, with every request recorded as {@code "METHOD /path"}.
 */
public final class StaticFileMirror implements AutoCloseable {
    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private StaticFileMirror(Path root, int port) throws IOException {
        var files = SimpleFileServer.createFileHandler(root.toAbsolutePath());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            files.handle(exchange);
        });
        server.start();
    }

    public static StaticFileMirror serve(Path root) {
        return serve(root, 0);
    }

    /** Serves {@code root} on {@code port} of the loopback address (0: any free port); to restart a stopped mirror at its URL. */
    public static StaticFileMirror serve(Path root, int port) {
        try {
            return new StaticFileMirror(root, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT/}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
