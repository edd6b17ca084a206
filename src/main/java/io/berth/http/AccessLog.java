package io.berth.http;

import io.berth.mirror.ClientAddresses;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * One line per request: {@code time client method path status bytes duration}, for example
 * {@code 2026-11-27T23:24:11.123Z 127.0.0.1 GET /v2/ 200 2 0.523ms}. The client is the connection's
 * peer, or — behind a trusted proxy — the address its {@code X-Forwarded-For} names.
 *
 * <p>Request threads only append the line to a batch in memory; one writer thread writes batches
 * out, at least every {@link #FLUSH_MILLIS} milliseconds and as soon as {@link #BATCH_CHARS}
 * characters wait, so no request ever waits for the output stream. Only when the writer falls
 * {@link #BACKLOG_CHARS} behind does a request thread wait for it. {@link #close()} writes what is left.
 */
public final class AccessLog implements RequestLog, AutoCloseable {
    static final long FLUSH_MILLIS = 200;
    static final int BATCH_CHARS = 32 * 1024;
    static final int BACKLOG_CHARS = 1024 * 1024;

    private final PrintStream out;
    private final ClientAddresses clients;
    private final Object lock = new Object();
    private final Thread flusher;
    private StringBuilder pending = new StringBuilder(BATCH_CHARS);
    private long cachedSecond = -1;
    private String cachedSecondText = "";
    private volatile boolean closed;

    public AccessLog(PrintStream out, ClientAddresses clients) {
        this.out = out;
        this.clients = clients;
        this.flusher = Thread.ofPlatform().daemon().name("berth-access-log").start(this::flushPeriodically);
    }

    @Override
    public void log(Request request, Response response) {
        long nowMillis = System.currentTimeMillis();
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - request.getBeginNanoTime());
        String query = request.getHttpURI().getQuery();
        String client = client(request);
        synchronized (lock) {
            appendTime(nowMillis);
            pending.append(' ').append(client)
                    .append(' ').append(request.getMethod())
                    .append(' ').append(request.getHttpURI().getPath());
            if (query != null) {
                pending.append('?').append(query);
            }
            pending.append(' ').append(response.getStatus())
                    .append(' ').append(Response.getContentBytesWritten(response))
                    .append(' ').append(micros / 1000).append('.');
            long fraction = micros % 1000;
            if (fraction < 100) {
                pending.append(fraction < 10 ? "00" : "0");
            }
            pending.append(fraction).append("ms\n");
            if (pending.length() >= BATCH_CHARS) {
                lock.notifyAll();
            }
            while (pending.length() >= BACKLOG_CHARS && !closed) {
                try {
                    lock.wait(FLUSH_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private String client(Request request) {
        if (!request.getHeaders().contains(MirrorRouting.FORWARDED_FOR)
                || !(request.getConnectionMetaData().getRemoteSocketAddress() instanceof java.net.InetSocketAddress peer)
                || peer.getAddress() == null) {
            return Request.getRemoteAddr(request);
        }
        return clients.clientOf(peer.getAddress(), request.getHeaders().getValuesList(MirrorRouting.FORWARDED_FOR))
                .getHostAddress();
    }

    /** ISO-8601 UTC with milliseconds; the part up to the second is formatted once per second. */
    private void appendTime(long millis) {
        long second = millis / 1000;
        if (second != cachedSecond) {
            String text = Instant.ofEpochSecond(second).toString();
            cachedSecondText = text.substring(0, text.length() - 1) + ".";
            cachedSecond = second;
        }
        long fraction = millis % 1000;
        pending.append(cachedSecondText);
        if (fraction < 100) {
            pending.append(fraction < 10 ? "00" : "0");
        }
        pending.append(fraction).append('Z');
    }

    /** The writer thread: takes the batch under the lock, writes it outside. */
    private void flushPeriodically() {
        while (true) {
            StringBuilder batch;
            synchronized (lock) {
                if (pending.length() < BATCH_CHARS && !closed) {
                    try {
                        lock.wait(FLUSH_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                batch = takeBatch();
                lock.notifyAll();
            }
            write(batch);
            if (closed) {
                return;
            }
        }
    }

    private StringBuilder takeBatch() {
        StringBuilder batch = pending;
        pending = new StringBuilder(BATCH_CHARS);
        return batch;
    }

    private void write(StringBuilder batch) {
        if (batch.isEmpty()) {
            return;
        }
        byte[] bytes = batch.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.flush();
    }

    @Override
    public void close() {
        StringBuilder rest;
        synchronized (lock) {
            closed = true;
            rest = takeBatch();
            lock.notifyAll();
        }
        try {
            flusher.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        write(rest);
    }
}
