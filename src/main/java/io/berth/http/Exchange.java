package io.berth.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** One request and its response, with the small conveniences every resource needs. */
final class Exchange {
    /**
     * Jackson's buffers come from one shared pool. Its default keeps them per thread, and every
     * request runs on a new virtual thread, so each response would allocate fresh buffers and a
     * thread-local map.
     */
    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());

    final Request request;
    final Response response;
    final Callback callback;
    private Fields query;

    Exchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
    }

    String method() {
        return request.getMethod();
    }

    boolean isHead() {
        return "HEAD".equals(request.getMethod());
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    /** Every value of a header, in the order sent. */
    List<String> headerValues(String name) {
        return request.getHeaders().getValuesList(name);
    }

    /** The address at the other end of the connection (a proxy's, when one is in between). */
    java.net.InetAddress peerAddress() {
        java.net.SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        if (remote instanceof java.net.InetSocketAddress socket && socket.getAddress() != null) {
            return socket.getAddress();
        }
        return java.net.InetAddress.getLoopbackAddress();
    }

    /** The request's {@code Content-Length}, when it sent one. */
    OptionalLong contentLength() {
        long length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        return length >= 0 ? OptionalLong.of(length) : OptionalLong.empty();
    }

    Optional<String> query(String name) {
        return Optional.ofNullable(queryFields().getValue(name));
    }

    List<String> queryValues(String name) {
        List<String> values = queryFields().getValues(name);
        return values == null ? List.of() : values;
    }

    /** A non-negative integer query parameter. */
    OptionalInt intQuery(String name) {
        Optional<String> value = query(name);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return OptionalInt.of(parsed);
        } catch (NumberFormatException e) {
            throw RegistryException.withStatus(ErrorCode.UNSUPPORTED, 400, name + " must be a non-negative integer");
        }
    }

    private Fields queryFields() {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return query;
    }

    InputStream body() {
        return Content.Source.asInputStream(request);
    }

    /**
     * Reads and drops what is left of the request body, up to {@code limit} bytes, so that an
     * early error answer reaches a client that is still sending. A client sending more than the
     * limit gets the answer on a connection that is then closed, and may miss it.
     */
    void discardUnreadBody(long limit) {
        long declared = contentLength().orElse(-1);
        if (declared == 0 || declared > limit) {
            return;
        }
        try (InputStream rest = body()) {
            long discarded = 0;
            long skipped;
            while (discarded < limit && (skipped = rest.skip(limit - discarded)) > 0) {
                discarded += skipped;
            }
        } catch (java.io.IOException e) {
            // The client went away; there is nobody left to answer.
        }
    }

    void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /** A header already set on the response. */
    Optional<String> responseHeader(String name) {
        return Optional.ofNullable(response.getHeaders().get(name));
    }

    void addHeader(String name, String value) {
        response.getHeaders().add(new HttpField(name, value));
    }

    /** Completes with a status and no body. */
    void send(int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        response.write(true, null, callback);
    }

    /** Completes with a body of the given type (and only the headers on HEAD). */
    void send(int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
        response.write(true, isHead() ? null : ByteBuffer.wrap(body), callback);
    }

    void sendJson(int status, Object value) {
        send(status, "application/json", toJson(value));
    }

    static byte[] toJson(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }
}
