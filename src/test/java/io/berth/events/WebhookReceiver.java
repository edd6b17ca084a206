package io.berth.events;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook endpoint on loopback that answers {@code 503} to its first requests and {@code 204}
 * after, keeping each request it accepted with its headers.
 */
final class WebhookReceiver implements AutoCloseable {
    /** One request as it arrived. */
    record Request(String contentType, String signature, byte[] body) {
    }

    private final HttpServer server;
    private final AtomicInteger failuresLeft;
    private final AtomicInteger requests = new AtomicInteger();
    private final BlockingQueue<Request> accepted = new LinkedBlockingQueue<>();

    WebhookReceiver(int failFirst) throws IOException {
        failuresLeft = new AtomicInteger(failFirst);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            requests.incrementAndGet();
            if (failuresLeft.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                accepted.add(new Request(exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER), body));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    int requests() {
        return requests.get();
    }

    List<Request> take(int count, Duration limit) throws InterruptedException {
        List<Request> taken = new ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (taken.size() < count) {
            Request next = accepted.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("only " + taken.size() + " of " + count + " webhook requests within " + limit);
            }
            taken.add(next);
        }
        return taken;
    }

    List<Request> drain(Duration quiet) throws InterruptedException {
        Thread.sleep(quiet);
        List<Request> rest = new ArrayList<>();
        accepted.drainTo(rest);
        return rest;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
