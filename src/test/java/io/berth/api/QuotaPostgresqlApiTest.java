package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.DatabaseConfig;
import io.berth.config.QuotaConfig;
import io.berth.testing.PostgresqlSchema;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Quotas on two nodes over one PostgreSQL database ({@code BERTH_TEST_POSTGRES_URL}, default
 * 127.0.0.1:5432, database {@code test}, a schema of its own): of concurrent uploads that each fit
 * alone but not two together, exactly one completes, whichever node takes it, because the check in
 * the recording transaction holds the quota's lock.
 */
class QuotaPostgresqlApiTest {
    private static final int BLOB_BYTES = 10_000;
    private static final int UPLOADS = 8;

    private final PostgresqlSchema schema = PostgresqlSchema.named("berth_test_");
    private TestRegistry first;
    private TestRegistry second;

    @BeforeEach
    void start() {
        DatabaseConfig database = schema.database(8);
        List<QuotaConfig> quotas = List.of(new QuotaConfig("team-a/**", (long) BLOB_BYTES * 3 / 2, null));
        first = TestRegistry.start(config -> config.withDatabase(database).withQuotas(quotas));
        second = TestRegistry.start(config -> config.withDatabase(database).withQuotas(quotas));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            first.close();
            second.close();
        } finally {
            schema.close();
        }
    }

    @Test
    void ofConcurrentUploadsThatFitOnlyOneAtATimeExactlyOneCompletes() throws Exception {
        List<String> locations = new ArrayList<>();
        List<RegistryHttp> nodes = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            RegistryHttp node = i % 2 == 0 ? first.http() : second.http();
            String repository = "team-a/app" + i;
            locations.add(node.post("/v2/" + repository + "/blobs/uploads/").headers().firstValue("Location").orElseThrow());
            nodes.add(node);
        }
        ExecutorService pool = Executors.newFixedThreadPool(UPLOADS);
        List<Integer> statuses = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < UPLOADS; i++) {
                TestBlob blob = TestBlob.random(BLOB_BYTES, 100 + i);
                RegistryHttp node = nodes.get(i);
                String location = locations.get(i);
                results.add(pool.submit(() -> {
                    go.await();
                    HttpResponse<byte[]> response = node.put(location + (location.contains("?") ? "&" : "?") + "digest="
                            + blob.digest(), "application/octet-stream", blob.content());
                    if (response.statusCode() == 403) {
                        assertThat(RegistryHttp.errorCode(response)).isEqualTo("DENIED");
                    }
                    return response.statusCode();
                }));
            }
            go.countDown();
            for (Future<Integer> result : results) {
                statuses.add(result.get(2, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statuses).containsOnly(201, 403);
        assertThat(statuses.stream().filter(status -> status == 201)).hasSize(1);
        long used = RegistryHttp.json(first.http().get("/berth/v1/quotas")).path("quotas").get(0).path("used-bytes").asLong();
        assertThat(used).isEqualTo(BLOB_BYTES);
    }
}
