package io.berth.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.metadata.MetadataSession;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.PromotionFilter;
import io.berth.metadata.SqlMetadataStore;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.RepositoryGlob;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.storage.BlobLayout;
import io.berth.storage.FilesystemBlobStore;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The promotion transaction: a failure halfway through — after blobs and manifests are linked into
 * the target, while tags are being moved — leaves the target exactly as it was, and audits nothing.
 */
class PromotionServiceTest {
    private static final RepositoryName SOURCE = RepositoryName.parse("candidate/app");
    private static final RepositoryName TARGET = RepositoryName.parse("app");

    @org.junit.jupiter.api.io.TempDir
    Path dataDir;
    private Digest index;
    private Digest layer;
    private Digest previous;

    @BeforeEach
    void pushCandidateAndAnEarlierStableRelease() {
        try (TestRegistry registry = TestRegistry.startOn(dataDir)) {
            RegistryHttp http = registry.http();
            TestBlob config = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
            TestBlob blob = TestBlob.random(1_000, 1);
            http.pushBlob(SOURCE.value(), config.content());
            layer = http.pushBlob(SOURCE.value(), blob.content());
            TestBlob image = ManifestJson.ociImage(config, blob).build();
            http.pushManifest(SOURCE.value(), image.digest().toString(), MediaTypes.OCI_MANIFEST, image.content());
            TestBlob list = ManifestJson.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, image).build();
            index = http.pushManifest(SOURCE.value(), "1.0", MediaTypes.OCI_INDEX, list.content());

            TestBlob oldLayer = TestBlob.random(500, 2);
            http.pushBlob(TARGET.value(), config.content());
            http.pushBlob(TARGET.value(), oldLayer.content());
            TestBlob old = ManifestJson.ociImage(config, oldLayer).build();
            previous = http.pushManifest(TARGET.value(), "latest", MediaTypes.OCI_MANIFEST, old.content());
        }
    }

    @Test
    void aFailureWhileMovingTagsLeavesTheTargetExactlyAsBefore() throws Exception {
        try (MetadataStore store = SqlMetadataStore.openSqlite(dataDir.resolve("berth.db"), Clock.systemUTC())) {
            MetadataStore failing = new FailingOnSecondSetTag(store);
            PromotionService service = service(failing);

            assertThatThrownBy(() -> service.promote(new PromotionRequest(SOURCE, Tag.parse("1.0"), TARGET,
                    List.of(Tag.parse("1.0"), Tag.parse("latest")), "tester")))
                    .hasMessageContaining("injected failure");

            store.read(session -> {
                assertThat(session.manifestExists(TARGET, index)).isFalse();
                assertThat(session.linkedBlobSize(TARGET, layer)).isEmpty();
                assertThat(session.manifestByTag(TARGET, Tag.parse("1.0"))).isEmpty();
                assertThat(session.manifestByTag(TARGET, Tag.parse("latest")).orElseThrow().digest()).isEqualTo(previous);
                assertThat(session.promotions().listPromotions(PromotionFilter.newest(10))).isEmpty();
                return null;
            });

            assertThat(service(store).promote(new PromotionRequest(SOURCE, Tag.parse("1.0"), TARGET,
                    List.of(Tag.parse("1.0"), Tag.parse("latest")), "tester")).promotion().outcome().name())
                    .as("the same promotion without the failure").isEqualTo("PROMOTED");
        }
    }

    @Test
    void aTagMovedBetweenTheGatesLookAndTheMoveIsJudgedAgainAndStaysImmutable() throws Exception {
        try (MetadataStore store = SqlMetadataStore.openSqlite(dataDir.resolve("berth.db"), Clock.systemUTC())) {
            store.inTransaction(session -> session.setTag(TARGET, Tag.parse("1.0"), previous));
            // The first transaction's look at app:1.0 misses it, as a concurrent promotion's tag not yet
            // committed would be missed on PostgreSQL; moving the tag then finds it there.
            PromotionService racing = service(new MissingTagsInFirstTransaction(store));

            assertThatThrownBy(() -> racing.promote(new PromotionRequest(SOURCE, Tag.parse("1.0"), TARGET,
                    List.of(Tag.parse("1.0")), "tester")))
                    .isInstanceOf(PromotionRefused.class).hasMessageContaining("would move 1.0");

            store.read(session -> {
                assertThat(session.manifestByTag(TARGET, Tag.parse("1.0")).orElseThrow().digest()).isEqualTo(previous);
                assertThat(session.manifestExists(TARGET, index)).as("the first attempt was rolled back").isFalse();
                return null;
            });
        }
    }

    private PromotionService service(MetadataStore store) throws java.io.IOException {
        PromotionRules rules = new PromotionRules(List.of(new NamespaceMapping("candidate/*", "*")),
                List.of(new GateRule(new RepositoryGlob("**"), List.of(new Gates.ImmutableTags(Set.of("latest"))))));
        return new PromotionService(store, new FilesystemBlobStore(new BlobLayout(dataDir)), rules, Clock.systemUTC());
    }

    /** A store whose first transaction sees no tags in the target repository. */
    private static final class MissingTagsInFirstTransaction implements MetadataStore {
        private final MetadataStore store;
        private final AtomicInteger transactions = new AtomicInteger();

        MissingTagsInFirstTransaction(MetadataStore store) {
            this.store = store;
        }

        @Override
        public <T> T read(Function<MetadataSession, T> work) {
            return store.read(work);
        }

        @Override
        public <T> T inTransaction(Function<MetadataSession, T> work) {
            boolean first = transactions.incrementAndGet() == 1;
            return store.inTransaction(session -> work.apply((MetadataSession) Proxy.newProxyInstance(
                    MetadataSession.class.getClassLoader(), new Class<?>[]{MetadataSession.class},
                    (proxy, method, arguments) -> {
                        if (first && method.getName().equals("manifestByTag") && TARGET.equals(arguments[0])) {
                            return java.util.Optional.empty();
                        }
                        try {
                            return method.invoke(session, arguments);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    })));
        }

        @Override
        public void close() {
        }
    }

    /** A store whose transactions fail at the second tag they set, as a crash or a lost connection would. */
    private static final class FailingOnSecondSetTag implements MetadataStore {
        private final MetadataStore store;

        FailingOnSecondSetTag(MetadataStore store) {
            this.store = store;
        }

        @Override
        public <T> T read(Function<MetadataSession, T> work) {
            return store.read(work);
        }

        @Override
        public <T> T inTransaction(Function<MetadataSession, T> work) {
            AtomicInteger tagsSet = new AtomicInteger();
            return store.inTransaction(session -> work.apply((MetadataSession) Proxy.newProxyInstance(
                    MetadataSession.class.getClassLoader(), new Class<?>[]{MetadataSession.class},
                    (proxy, method, arguments) -> {
                        if (method.getName().equals("setTag") && tagsSet.incrementAndGet() == 2) {
                            throw new IllegalStateException("injected failure");
                        }
                        try {
                            return method.invoke(session, arguments);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    })));
        }

        @Override
        public void close() {
        }
    }
}
