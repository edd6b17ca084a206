package io.berth.http;

import io.berth.mirror.ClientAddresses;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * One line per request: {@code time client principal method path status bytes duration}, for
 * example {@code 2026-11-27T23:24:11.123Z 127.0.0.1 releng GET /v2/ 200 2 0.523ms}. The client is the
 * connection's peer, or — behind a trusted proxy — the address its {@code X-Forwarded-For} names.
 * The principal is who authentication proved the caller to be ({@code robot$osbs}, {@code
 * SUB@ISSUER}), {@code -} for anonymous callers, refused ones, and every caller when authentication
 * is off. No header is logged, and a credential a client puts in the query ({@code password=},
 * {@code refresh_token=}, …) is logged as {@code REDACTED}. Method, path and query come as Jetty
 * accepted them (a request line with a control character is refused before it gets here); the
 * principal is escaped ({@link LogText}) and has no spaces, so every line has its eight fields.
 *
 * <p>In the {@link Format#JSON JSON} format each record is one object on one line instead, with the
 * same fields ({@code time}, {@code client}, {@code principal} — {@code null} for nobody —,
 * {@code method}, {@code path} with the query, {@code status}, {@code bytes}, {@code duration_ms})
 * and the request's id ({@code request_id}, as sent in {@link RequestIds#HEADER}); strings are escaped
 * by {@link JsonText}, so a line never breaks whatever a client sends.
 *
 * <p>A TLS handshake sent to a plain-HTTP port is no request: Jetty answers it {@code 400} and closes
 * the connection, and the log writes method {@code TLS} and path {@code handshake-on-plain-HTTP-port}
 * for it rather than Jetty's {@code BAD /badMessage} (see {@link ServerErrorHandler#TLS_HANDSHAKE}).
 *
 * <p>Request threads format their line on their own and hand it to a lock-free queue; one writer
 * thread writes the queue out, at least every {@link #FLUSH_MILLIS} milliseconds and as soon as
 * {@link #BATCH_CHARS} characters wait. No request thread takes a lock or waits for the output
 * stream: a shared lock here let a few of many concurrent requests wait tens of milliseconds for
 * it under load. Only when the writer falls {@link #BACKLOG_CHARS} behind (the output is stuck)
 * does a request thread pause, a millisecond at a time, until it catches up.
 * {@link #close()} writes what is left.
 */
public final class AccessLog implements RequestLog, AutoCloseable {
    /** The request attribute naming who made the request, once authentication proved it. */
    public static final String PRINCIPAL = "io.berth.principal";

    /** The method field of a TLS handshake on the plain-HTTP port. */
    static final String TLS_METHOD = "TLS";
    /** The path field of a TLS handshake on the plain-HTTP port: no path, since no request was read. */
    static final String TLS_PATH = "handshake-on-plain-HTTP-port";

    static final long FLUSH_MILLIS = 200;
    static final int BATCH_CHARS = 32 * 1024;
    static final int BACKLOG_CHARS = 4 * 1024 * 1024;
    private static final long BACKLOG_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** How each record is written. */
    public enum Format {
        /** One line of eight space-separated fields. */
        TEXT,
        /** One JSON object per line, with the request's id ({@link RequestIds}). */
        JSON
    }

    private final OutputStream out;
    private final ClientAddresses clients;
    private final Format format;
    private final Queue<String> lines = new ConcurrentLinkedQueue<>();
    private final AtomicLong pendingChars = new AtomicLong();
    private final Thread writer;
    private volatile SecondText currentSecond = new SecondText(-1, "");
    private volatile boolean closed;

    /** The part of a timestamp up to the second, formatted once per second. */
    private record SecondText(long second, String text) {
    }

    /** A log of text lines. */
    public AccessLog(OutputStream out, ClientAddresses clients) {
        this(out, clients, Format.TEXT);
    }

    public AccessLog(OutputStream out, ClientAddresses clients, Format format) {
        this.out = out;
        this.clients = clients;
        this.format = format;
        this.writer = Thread.ofPlatform().daemon().name("berth-access-log").start(this::writeUntilClosed);
    }

    @Override
    public void log(Request request, Response response) {
        long nowMillis = System.currentTimeMillis();
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - request.getBeginNanoTime());
        StringBuilder line = new StringBuilder(format == Format.JSON ? 256 : 128);
        if (format == Format.JSON) {
            appendJson(line, request, response, nowMillis, micros);
        } else {
            appendText(line, request, response, nowMillis, micros);
        }
        line.append('\n');
        enqueue(line.toString());
    }

    private void appendText(StringBuilder line, Request request, Response response, long nowMillis, long micros) {
        appendTime(line, nowMillis);
        line.append(' ').append(client(request))
                .append(' ').append(principal(request).map(AccessLog::principalField).orElse("-"))
                .append(' ');
        appendMethodAndPath(line, request);
        line.append(' ').append(response.getStatus())
                .append(' ').append(Response.getContentBytesWritten(response))
                .append(' ');
        appendMillis(line, micros);
        line.append("ms");
    }

    /** {@code {"time":…,"client":…,"principal":…,"method":…,"path":…,"status":…,"bytes":…,"duration_ms":…,"request_id":…}}. */
    private void appendJson(StringBuilder line, Request request, Response response, long nowMillis, long micros) {
        line.append("{\"time\":\"");
        appendTime(line, nowMillis);
        line.append("\",\"client\":");
        JsonText.appendString(line, client(request));
        line.append(",\"principal\":");
        java.util.Optional<String> principal = principal(request);
        if (principal.isPresent()) {
            JsonText.appendString(line, principal.get());
        } else {
            line.append("null");
        }
        boolean tls = isTlsHandshake(request);
        line.append(",\"method\":");
        JsonText.appendString(line, tls ? TLS_METHOD : request.getMethod());
        line.append(",\"path\":\"");
        if (tls) {
            line.append(TLS_PATH);
        } else {
            JsonText.appendEscaped(line, request.getHttpURI().getPath());
            String query = request.getHttpURI().getQuery();
            if (query != null) {
                line.append('?');
                JsonText.appendEscaped(line, redacted(query));
            }
        }
        line.append('"');
        line.append(",\"status\":").append(response.getStatus())
                .append(",\"bytes\":").append(Response.getContentBytesWritten(response))
                .append(",\"duration_ms\":");
        appendMillis(line, micros);
        line.append(",\"request_id\":\"").append(RequestIds.of(request)).append("\"}");
    }

    /** Appends {@code METHOD path?query}, the query's credentials redacted. */
    private static void appendMethodAndPath(StringBuilder line, Request request) {
        if (isTlsHandshake(request)) {
            line.append(TLS_METHOD).append(' ').append(TLS_PATH);
            return;
        }
        line.append(request.getMethod()).append(' ').append(request.getHttpURI().getPath());
        String query = request.getHttpURI().getQuery();
        if (query != null) {
            line.append('?').append(redacted(query));
        }
    }

    /**
     * Whether {@code request} is a TLS handshake sent to this plain-HTTP port, which Jetty parsed as a
     * bad request ({@link ServerErrorHandler#TLS_HANDSHAKE}); it is written as method {@value
     * #TLS_METHOD} and path {@value #TLS_PATH} instead of {@code BAD /badMessage}.
     */
    private static boolean isTlsHandshake(Request request) {
        return request.getAttribute(ServerErrorHandler.TLS_HANDSHAKE) != null;
    }

    private static void appendMillis(StringBuilder line, long micros) {
        line.append(micros / 1000).append('.');
        appendThreeDigits(line, micros % 1000);
    }

    /** Who made the request, as the registry proved it; empty when nobody was. */
    private static java.util.Optional<String> principal(Request request) {
        return request.getAttribute(PRINCIPAL) instanceof String name && !name.isEmpty() && !name.equals("anonymous")
                ? java.util.Optional.of(name) : java.util.Optional.empty();
    }

    /** The principal as a text field: escaped (an external issuer's subject is anyone's text), without spaces. */
    private static String principalField(String name) {
        return LogText.escape(name).replace(' ', '_').replace('\t', '_');
    }

    /** Query parameters that carry a credential when a client puts one there; their values are never logged. */
    private static final java.util.Set<String> CREDENTIAL_PARAMETERS = java.util.Set.of("password", "refresh_token",
            "access_token", "token", "client_secret", "id_token");

    /** {@code query} with the value of every {@link #CREDENTIAL_PARAMETERS credential parameter} replaced by {@code REDACTED}. */
    static String redacted(String query) {
        java.util.StringJoiner result = new java.util.StringJoiner("&");
        for (String parameter : query.split("&", -1)) {
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            result.add(equals >= 0 && CREDENTIAL_PARAMETERS.contains(decodedName(name))
                    ? parameter.substring(0, equals + 1) + "REDACTED" : parameter);
        }
        return result.toString();
    }

    private static String decodedName(String name) {
        try {
            return java.net.URLDecoder.decode(name, StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
        } catch (IllegalArgumentException malformed) {
            return name.toLowerCase(java.util.Locale.ROOT);
        }
    }

    private void enqueue(String line) {
        lines.add(line);
        long pending = pendingChars.addAndGet(line.length());
        if (pending >= BATCH_CHARS && pending - line.length() < BATCH_CHARS) {
            LockSupport.unpark(writer);
        }
        while (pendingChars.get() >= BACKLOG_CHARS && !closed) {
            LockSupport.unpark(writer);
            LockSupport.parkNanos(BACKLOG_PAUSE_NANOS);
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

    /** ISO-8601 UTC with milliseconds. */
    private void appendTime(StringBuilder line, long millis) {
        long second = millis / 1000;
        SecondText cached = currentSecond;
        if (cached.second() != second) {
            String text = Instant.ofEpochSecond(second).toString();
            cached = new SecondText(second, text.substring(0, text.length() - 1) + ".");
            currentSecond = cached;
        }
        line.append(cached.text());
        appendThreeDigits(line, millis % 1000);
        line.append('Z');
    }

    private static void appendThreeDigits(StringBuilder line, long value) {
        if (value < 100) {
            line.append(value < 10 ? "00" : "0");
        }
        line.append(value);
    }

    /** The writer thread: sleeps until a batch is due, then writes out everything queued. */
    private void writeUntilClosed() {
        long flushNanos = TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
        while (!closed) {
            if (pendingChars.get() < BATCH_CHARS) {
                LockSupport.parkNanos(flushNanos);
            }
            writeQueued();
        }
    }

    /** Writes the queued lines in batches; only ever called by one thread at a time. */
    private synchronized void writeQueued() {
        StringBuilder batch = new StringBuilder(BATCH_CHARS);
        String line;
        while ((line = lines.poll()) != null) {
            batch.append(line);
            if (batch.length() >= BATCH_CHARS) {
                write(batch);
            }
        }
        write(batch);
    }

    private void write(StringBuilder batch) {
        if (batch.isEmpty()) {
            return;
        }
        byte[] bytes = batch.toString().getBytes(StandardCharsets.UTF_8);
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // Nowhere better to report it: the log itself is the output that failed.
        }
        pendingChars.addAndGet(-batch.length());
        batch.setLength(0);
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeQueued();
    }
}
