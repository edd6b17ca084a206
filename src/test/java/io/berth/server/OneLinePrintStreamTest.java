package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import io.berth.http.RequestIds;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/**
 * The streams the logger writes to: a record is one line whatever a client put in it, a stack trace
 * stays one line per frame, and raw writes (a progress bar's carriage return) pass untouched; a
 * record written while a request is handled names the request's id.
 */
class OneLinePrintStreamTest {
    @Test
    void eachPrintlnIsOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OneLinePrintStream out = new OneLinePrintStream(new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            out.println("[WARN] TokenService - refused a token of issuer evil\n[INFO] BerthServer - all is well");
            new IllegalStateException("two\nlines").printStackTrace(out);
            out.print("\r 42 %");
        }
        String written = bytes.toString(StandardCharsets.UTF_8);
        assertThat(written.lines().findFirst().orElseThrow())
                .isEqualTo("[WARN] TokenService - refused a token of issuer evil\\u000a[INFO] BerthServer - all is well");
        assertThat(written).contains("java.lang.IllegalStateException: two\\u000alines\n\tat io.berth.server.OneLinePrintStreamTest")
                .endsWith("\r 42 %");
    }

    @Test
    void aLinePrintedWhileHandlingARequestEndsWithItsIdAndStackFramesStayAsTheyAre() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OneLinePrintStream out = new OneLinePrintStream(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new RequestIds(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                out.println("[ERROR] RegistryHandler - GET /v2/ failed");
                new IllegalStateException("broken").printStackTrace(out);
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        }));
        server.start();
        String id;
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding());
            id = response.headers().firstValue(RequestIds.HEADER).orElseThrow();
        } finally {
            server.stop();
        }
        out.println("[INFO] BerthServer - outside any request");

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.getFirst()).isEqualTo("[ERROR] RegistryHandler - GET /v2/ failed request_id=" + id);
        assertThat(lines.get(1)).isEqualTo("java.lang.IllegalStateException: broken request_id=" + id);
        assertThat(lines.get(2)).startsWith("\tat ").doesNotContain("request_id");
        assertThat(lines.getLast()).isEqualTo("[INFO] BerthServer - outside any request");
    }
}
