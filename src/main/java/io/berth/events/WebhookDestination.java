package io.berth.events;

import io.berth.metadata.OutboxEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * POSTs events as {@link CloudEvent}s to one URL, signed ({@link WebhookSignature}). Only a 2xx
 * answer counts as delivered; redirects are not followed (a 3xx is a failure), and connecting and
 * the whole exchange each have a timeout.
 */
public final class WebhookDestination implements EventDestination {
    private final URI url;
    private final byte[] secret;
    private final Set<String> families;
    private final String source;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param families the event families it wants ({@link EventType#family()}); empty for every event
     * @param source   the CloudEvents {@code source} attribute
     */
    public WebhookDestination(URI url, byte[] secret, Set<String> families, String source, Duration timeout) {
        this.url = url;
        this.secret = secret.clone();
        this.families = Set.copyOf(families);
        this.source = source;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /** {@code webhook:} and the URL without user information or query, which may hold credentials. */
    @Override
    public String name() {
        return "webhook:" + url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    @Override
    public boolean accepts(EventType type) {
        return families.isEmpty() || families.contains(type.family());
    }

    @Override
    public void deliver(OutboxEvent event) {
        byte[] body = CloudEvent.encode(event, source).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", CloudEvent.CONTENT_TYPE)
                .header(WebhookSignature.HEADER, WebhookSignature.sign(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        int status;
        try {
            status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new DeliveryFailed("the webhook did not answer: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailed("interrupted while waiting for the webhook", e);
        }
        if (status < 200 || status > 299) {
            throw new DeliveryFailed("the webhook answered " + status);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
