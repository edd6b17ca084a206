package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Berth's own API ({@code /berth/v1/…}) as the command line's remote mode calls it: JSON in and
 * out, the caller's credentials on every request, answers of at most {@link #MAX_ANSWER_BYTES},
 * whole within the request's time limit (headers and body: a registry that stalls in the middle of
 * an answer does not hold the command). A refusal becomes a {@link Failure} carrying the
 * registry's own message.
 */
final class RegistryApi {
    /** The most of an answer read; Berth's pages stay far below it. */
    static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a request may take, answer included: a garbage-collection pass answers when it is done. */
    static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final URI base;
    private final Optional<String> authorization;
    private final Duration timeout;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** A request the registry refused or could not answer; its message is the registry's. */
    static final class Failure extends RuntimeException {
        private final int status;
        private final transient JsonNode body;

        Failure(int status, String message) {
            this(status, message, JSON.createObjectNode());
        }

        Failure(int status, String message, JsonNode body) {
            super(message);
            this.status = status;
            this.body = body;
        }

        /** The HTTP status, 0 when the registry could not be reached. */
        int status() {
            return status;
        }

        /** The answer's JSON, an empty object when it had none. */
        JsonNode body() {
            return body;
        }
    }

    RegistryApi(URI base, Optional<String> authorization) {
        this(base, authorization, TIMEOUT);
    }

    RegistryApi(URI base, Optional<String> authorization, Duration timeout) {
        this.base = base;
        this.authorization = authorization;
        this.timeout = timeout;
    }

    JsonNode get(String path, Map<String, String> query) {
        return send(request(path + queryString(query)).GET());
    }

    JsonNode post(String path, Object body) {
        try {
            return send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a request body could not be written as JSON", e);
        }
    }

    JsonNode post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    JsonNode delete(String path) {
        return send(request(path).DELETE());
    }

    /** The query parameters that are present, in order. */
    static Map<String, String> query(Object... namesAndValues) {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                query.put((String) namesAndValues[i], String.valueOf(namesAndValues[i + 1]));
            }
        }
        return query;
    }

    private static String queryString(Map<String, String> query) {
        return query.isEmpty() ? "" : query.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&", "?", ""));
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1) : base.toString();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(root + pathAndQuery)).timeout(timeout)
                .header("Accept", "application/json");
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder;
    }

    private JsonNode send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        CompletableFuture<HttpResponse<byte[]>> exchange =
                client.sendAsync(request, info -> new BoundedAnswer(MAX_ANSWER_BYTES));
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new Failure(0, base + " did not answer " + request.uri().getPath() + " within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BoundedAnswer.TooLarge) {
                throw new Failure(0, "the answer of " + request.uri().getPath() + " is larger than " + MAX_ANSWER_BYTES + " bytes");
            }
            throw new Failure(0, "could not reach " + base + ": "
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new Failure(0, "interrupted");
        }
        byte[] answer = response.body();
        int status = response.statusCode();
        Optional<JsonNode> parsed = parse(answer);
        if (status / 100 == 2 && parsed.isEmpty()) {
            throw new Failure(status, request.uri().getPath() + " answered " + status + " with something other than JSON:"
                    + " is " + base + " a Berth registry?");
        }
        JsonNode body = parsed.orElseGet(JSON::createObjectNode);
        if (status / 100 != 2) {
            String message = body.path("errors").path(0).path("message").asText("");
            throw new Failure(status, request.uri().getPath() + " answered " + status
                    + (message.isEmpty() ? "" : ": " + message)
                    + (status == 401 ? " (give --username with --password-stdin, or a token)" : ""), body);
        }
        return body;
    }

    /**
     * The answer as JSON: an empty object for an empty answer, empty for one that is not JSON. The
     * answer is at most {@link #MAX_ANSWER_BYTES}, from a registry the caller chose to call.
     */
    private static Optional<JsonNode> parse(byte[] answer) {
        if (answer.length == 0) {
            return Optional.of(JSON.createObjectNode());
        }
        try {
            return Optional.ofNullable(JSON.readTree(answer)).filter(parsed -> !parsed.isMissingNode());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * A text field every answer of this kind carries (a robot's new secret, say): one a registry
     * left out is a failure, never an empty string printed as if it were the value.
     */
    static String requiredText(JsonNode answer, String field) {
        JsonNode value = answer.path(field);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new Failure(200, "the registry's answer has no \"" + field + "\": is it a Berth registry of this version?");
        }
        return value.asText();
    }
}
