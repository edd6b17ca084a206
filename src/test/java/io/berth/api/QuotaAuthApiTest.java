package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.LockedDownRegistry.Caller;
import io.berth.config.QuotaConfig;
import io.berth.testing.RegistryHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who sees which quotas under the policy of a {@link LockedDownRegistry}: anonymous callers are
 * challenged, registry admins see every quota, other callers the quotas covering a repository they
 * may pull.
 */
class QuotaAuthApiTest {
    private static LockedDownRegistry registry;

    @BeforeAll
    static void start() throws IOException {
        registry = LockedDownRegistry.start(config -> config.withQuotas(List.of(
                new QuotaConfig("library/**", 1L << 30, null),
                new QuotaConfig("candidate/**", 1L << 30, 100L),
                new QuotaConfig("private/**", null, 5L))));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void callersSeeTheQuotasCoveringWhatTheyMayPull() {
        registry.assertChallenged(registry.anonymous().get("/berth/v1/quotas"), "");

        assertThat(patterns(registry.admin())).containsExactly("library/**", "candidate/**", "private/**");
        assertThat(patterns(registry.releng())).containsExactly("library/**", "candidate/**");
        assertThat(patterns(registry.osbs())).containsExactly("library/**", "candidate/**");
    }

    private static List<String> patterns(Caller caller) {
        HttpResponse<byte[]> response = caller.get("/berth/v1/quotas");
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(200);
        List<String> patterns = new ArrayList<>();
        RegistryHttp.json(response).path("quotas").forEach(quota -> patterns.add(quota.path("repositories").asText()));
        return patterns;
    }
}
