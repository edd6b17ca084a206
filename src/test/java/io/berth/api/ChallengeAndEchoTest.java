package io.berth.api;

import static io.berth.api.LockedDownRegistry.SERVICE;
import static io.berth.api.LockedDownRegistry.tokenPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.LockedDownRegistry.Caller;
import io.berth.testing.RegistryHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a {@link LockedDownRegistry} puts in its answers to hostile requests. A requested repository
 * name is validated before any header is built from it, so a quote, comma, backslash or line break
 * in it cannot add parameters to {@code WWW-Authenticate}: such a request is 400 ({@code NAME_INVALID}
 * from Berth, or Jetty's own refusal of an encoded backslash or a line break). And whatever a client
 * sends as credentials — any scheme, malformed or wrong — no part of it comes back in a header or a
 * body (the token endpoint ignores schemes other than Basic and answers with an anonymous token).
 * Requests go over raw sockets where the HTTP client would refuse to send them.
 */
class ChallengeAndEchoTest {
    /** A marker inside every credential sent below; no answer may contain it. */
    private static final String SECRET = "s3cr3t-marker";
    private static final Pattern PARAMETER = Pattern.compile("([a-z]+)=\"([^\"]*)\"(,|$)");

    private static LockedDownRegistry registry;

    @BeforeAll
    static void start() throws IOException {
        registry = LockedDownRegistry.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void aQuoteInARequestedNameCannotAddParametersToTheChallenge() throws IOException {
        for (String name : List.of("a%22,scope=%22x", "a%22,error=%22invalid_token", "a%22,realm=%22http:evil",
                "a,b", "A%22")) {
            for (String path : List.of("/v2/" + name + "/manifests/latest", "/v2/" + name + "/blobs/uploads/",
                    "/v2/" + name + "/tags/list")) {
                String method = path.endsWith("/uploads/") ? "POST" : "GET";
                RawResponse response = send(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

                assertThat(response.status()).as("%s %s", method, path).isEqualTo(400);
                assertThat(response.body()).as("%s %s", method, path).contains("\"NAME_INVALID\"");
                assertThat(response.headers("www-authenticate")).as("%s %s", method, path).isEmpty();
            }
        }
    }

    @Test
    void aBackslashOrALineBreakInANameNeverReachesAChallenge() throws IOException {
        // Jetty's URI checks refuse an encoded backslash, and a raw line break ends the request
        // line; either way the answer is 400 and nothing is challenged.
        for (String name : List.of("a%5C%22,realm=%22http://evil", "a%0D%0AX-Injected:%20yes", "a%0AX-Injected:%20yes")) {
            RawResponse response = send("GET /v2/" + name + "/manifests/latest HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                    + "\r\nConnection: close\r\n\r\n");

            assertThat(response.status()).as(name).isEqualTo(400);
            assertThat(response.headers("www-authenticate")).as(name).isEmpty();
            assertThat(response.headers("x-injected")).as(name).isEmpty();
        }
    }

    @Test
    void aMountFromAnInvalidNameIsRefusedBeforeAnyChallenge() throws IOException {
        RawResponse response = send("POST /v2/candidate/app/blobs/uploads/?mount=" + LockedDownRegistry.CONFIG.digest()
                + "&from=x%22,scope=%22y HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("\"NAME_INVALID\"");
        assertThat(response.headers("www-authenticate")).isEmpty();
    }

    @Test
    void aValidNameIsChallengedWithExactlyRealmServiceAndScope() throws IOException {
        RawResponse response = send("GET /v2/candidate/app/manifests/latest HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                + "\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers("www-authenticate")).hasSize(1);
        assertThat(challengeParameters(response.headers("www-authenticate").getFirst())).containsExactly(
                Map.entry("realm", "http://127.0.0.1:" + port() + "/auth/token"), Map.entry("service", SERVICE),
                Map.entry("scope", "repository:candidate/app:pull"));
    }

    @Test
    void aHostHeaderThatIsNotAHostAndPortIsNotEchoedInTheRealm() throws IOException {
        for (String host : List.of("evil\",x=\"y", "evil\\\\", "evil,error=\"invalid_token\"")) {
            RawResponse response = send("GET /v2/candidate/app/manifests/latest HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n");

            assertThat(response.raw()).as(host).doesNotContain("evil");
            if (response.status() == 401) {
                assertThat(challengeParameters(response.headers("www-authenticate").getFirst()).keySet()).as(host)
                        .containsExactly("realm", "service", "scope");
            }
        }
    }

    @Test
    void noCredentialSentIsEverEchoedInAnAnswer() {
        String basicWrong = Base64.getEncoder().encodeToString(("releng:" + SECRET).getBytes(StandardCharsets.UTF_8));
        String basicNoColon = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
        String header = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("{\"alg\":\"" + SECRET + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("{\"iss\":\"" + SECRET + "\",\"sub\":\"" + SECRET + "\"}").getBytes(StandardCharsets.UTF_8));
        List<String> authorizations = List.of(SECRET, "Token " + SECRET, "Bearer " + SECRET, "Bearer " + SECRET + ".x.y",
                "Bearer " + header + "." + payload + ".c2ln", "Basic " + basicWrong, "Basic " + basicNoColon,
                "Basic " + SECRET + "!", "Digest username=\"" + SECRET + "\"");

        List<HttpResponse<byte[]>> answers = new ArrayList<>();
        for (String authorization : authorizations) {
            Caller caller = registry.withAuthorization(authorization);
            answers.add(caller.get("/v2/"));
            answers.add(caller.get("/v2/candidate/app/manifests/1.0"));
            answers.add(caller.get(tokenPath("repository:candidate/app:pull")));
            answers.add(caller.postJson("/berth/v1/promotions", "{\"source\":\"candidate/app:1.0\",\"targets\":[\"app:9\"]}"));
        }
        answers.add(postForm("grant_type=password&service=" + SERVICE + "&username=releng&password=" + SECRET));
        answers.add(postForm("grant_type=refresh_token&service=" + SERVICE + "&refresh_token=" + SECRET));
        answers.add(postForm("grant_type=refresh_token&service=" + SERVICE + "&refresh_token=" + header + "." + payload + ".c2ln"));

        for (HttpResponse<byte[]> answer : answers) {
            String request = answer.request().method() + " " + answer.request().uri().getRawPath();
            assertThat(answer.statusCode()).as(request).isIn(200, 400, 401);
            assertThat(RegistryHttp.text(answer)).as(request).doesNotContain(SECRET).doesNotContain(basicWrong)
                    .doesNotContain(basicNoColon).doesNotContain(header).doesNotContain(payload);
            answer.headers().map().forEach((name, values) -> assertThat(values).as("%s: header %s", request, name)
                    .noneMatch(value -> value.contains(SECRET) || value.contains(basicWrong) || value.contains(header)));
        }
    }

    private static HttpResponse<byte[]> postForm(String form) {
        RegistryHttp http = registry.http();
        return http.send(http.request("/auth/token").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    /** The parameters of a Bearer challenge, in order; fails if anything else is in it. */
    private static Map<String, String> challengeParameters(String challenge) {
        assertThat(challenge).startsWith("Bearer ");
        String rest = challenge.substring("Bearer ".length());
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher matcher = PARAMETER.matcher(rest);
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            assertThat(parameters.put(matcher.group(1), matcher.group(2))).as("parameter %s given twice", matcher.group(1)).isNull();
            end = matcher.end();
        }
        assertThat(end).as("the whole challenge is parameters: %s", challenge).isEqualTo(rest.length());
        return parameters;
    }

    private static int port() {
        return registry.uri().getPort();
    }

    /** One request over a fresh connection, answered in full (the request asks to close it). */
    private static RawResponse send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new RawResponse(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
    }

    /** An HTTP/1.1 response as it came off the wire. */
    private record RawResponse(String raw) {
        int status() {
            return Integer.parseInt(raw.substring(9, 12));
        }

        List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (String line : raw.substring(0, raw.indexOf("\r\n\r\n")).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    values.add(line.substring(colon + 1).strip());
                }
            }
            return values;
        }

        String body() {
            return raw.substring(raw.indexOf("\r\n\r\n") + 4);
        }
    }
}
