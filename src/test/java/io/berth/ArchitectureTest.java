package io.berth;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.implement;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.berth.metadata.MetadataStore;
import io.berth.storage.BlobStore;
import org.junit.jupiter.api.Test;

/**
 * The package dependency rules of {@code docs/architecture.md} ("Dependency rules"), checked
 * against the production classes. The document says why each rule exists; a change to a rule
 * belongs in both places. When a rule fails, move the code, not the rule.
 */
class ArchitectureTest {
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.berth");

    private static final String OCI = "io.berth.oci..";
    private static final String STORAGE = "io.berth.storage..";
    private static final String METADATA = "io.berth.metadata..";
    private static final String REGISTRY = "io.berth.registry..";
    private static final String AUTH = "io.berth.auth..";
    private static final String HTTP = "io.berth.http..";
    private static final String CONFIG = "io.berth.config..";
    private static final String SERVER = "io.berth.server..";
    private static final String CLI = "io.berth.cli..";
    private static final String MIRROR = "io.berth.mirror..";
    private static final String PROMOTION = "io.berth.promotion..";
    private static final String INTEGRITY = "io.berth.integrity..";
    private static final String GC = "io.berth.gc..";
    private static final String PROTECTION = "io.berth.protection..";
    private static final String SIGNING = "io.berth.signing..";
    private static final String METRICS = "io.berth.metrics..";
    private static final String JETTY = "org.eclipse.jetty..";
    private static final String MICROMETER = "io.micrometer..";
    private static final String EVENTS = "io.berth.events..";
    private static final String AMQP_CLIENT = "com.rabbitmq..";
    private static final String AUDIT = "io.berth.audit..";
    private static final String UI = "io.berth.ui..";

    /** Classes that keep bytes or metadata somewhere real: the implementations of the two store interfaces. */
    private static final DescribedPredicate<JavaClass> CONCRETE_BACKEND =
            implement(BlobStore.class).or(implement(MetadataStore.class)).as("are concrete blob or metadata stores");

    @Test
    void ociModelDependsOnNothingOfOurs() {
        check(noClasses().that().resideInAPackage(OCI)
                .should().dependOnClassesThat(resideInAPackage("io.berth..").and(resideOutsideOfPackage(OCI)))
                .because("the OCI model is the vocabulary every other package speaks"));
    }

    @Test
    void storageKnowsNeitherMetadataNorAnythingAboveIt() {
        check(noClasses().that().resideInAPackage(STORAGE)
                .should().dependOnClassesThat().resideInAnyPackage(METADATA, REGISTRY, HTTP, CONFIG, SERVER, CLI)
                .because("a blob store only moves bytes; the registry layer coordinates it with metadata"));
    }

    @Test
    void metadataKnowsNeitherStorageNorAnythingAboveIt() {
        check(noClasses().that().resideInAPackage(METADATA)
                .should().dependOnClassesThat().resideInAnyPackage(STORAGE, REGISTRY, HTTP, CONFIG, SERVER, CLI)
                .because("a metadata store only keeps records; the registry layer coordinates it with storage"));
    }

    @Test
    void registryKnowsNoTransportConfigurationOrWiring() {
        check(noClasses().that().resideInAPackage(REGISTRY)
                .should().dependOnClassesThat().resideInAnyPackage(HTTP, CONFIG, SERVER, CLI, JETTY)
                .because("the registry's operations must be callable without HTTP, from tests, tools or other front ends"));
    }

    @Test
    void onlyTheCompositionRootKnowsConcreteBackends() {
        check(noClasses().that().resideOutsideOfPackage(SERVER)
                .and().doNotImplement(BlobStore.class).and().doNotImplement(MetadataStore.class)
                .should().dependOnClassesThat(CONCRETE_BACKEND)
                .because("everything else works against BlobStore and MetadataStore, so a backend can be swapped in one place"));
    }

    /** Keeps {@link #onlyTheCompositionRootKnowsConcreteBackends} from passing because it matches nothing. */
    @Test
    void concreteBackendsAreTheFilesystemS3AndSqlStores() {
        assertThat(PRODUCTION.that(CONCRETE_BACKEND)).extracting(JavaClass::getName).containsExactlyInAnyOrder(
                "io.berth.storage.FilesystemBlobStore", "io.berth.storage.S3BlobStore", "io.berth.metadata.SqlMetadataStore");
    }

    @Test
    void onlyTheCommandLineUsesTheCompositionRoot() {
        check(noClasses().that().resideOutsideOfPackages(SERVER, CLI)
                .should().dependOnClassesThat().resideInAPackage(SERVER)
                .because("the server package wires everything; only the entry points may start it"));
    }

    @Test
    void onlyHttpAndServerUseJetty() {
        check(noClasses().that().resideOutsideOfPackages(HTTP, SERVER)
                .should().dependOnClassesThat().resideInAPackage(JETTY)
                .because("HTTP types must not leak below the HTTP layer"));
    }

    @Test
    void onlyTheCompositionRootUsesTheHttpLayer() {
        check(noClasses().that().resideOutsideOfPackages(HTTP, SERVER)
                .should().dependOnClassesThat().resideInAPackage(HTTP)
                .because("the HTTP layer is the outermost adapter; nothing below it may call back up"));
    }

    @Test
    void authDependsOnlyOnTheOciModelAndNoHttpTypes() {
        check(noClasses().that().resideInAPackage(AUTH)
                .should().dependOnClassesThat(resideInAPackage("io.berth..").and(resideOutsideOfPackages(AUTH, OCI))
                        .or(resideInAPackage(JETTY)))
                .because("identities, tokens and policies are decided without HTTP, storage or configuration, so they"
                        + " can be tested and reused alone"));
    }

    @Test
    void onlyHttpServerAndCommandLineUseAuth() {
        check(noClasses().that().resideOutsideOfPackages(AUTH, HTTP, SERVER, CLI)
                .should().dependOnClassesThat().resideInAPackage(AUTH)
                .because("authorization is enforced at the edge, before a request reaches the registry's operations"));
    }

    @Test
    void onlyTheCompositionRootAndCommandLineReadConfiguration() {
        check(noClasses().that().resideOutsideOfPackages(CONFIG, SERVER, CLI)
                .should().dependOnClassesThat().resideInAPackage(CONFIG)
                .because("components take plain constructor arguments; the composition root turns configuration into them"));
    }

    @Test
    void mirrorsDependOnlyOnTheModelStoresAndNoTransportOrConfiguration() {
        check(noClasses().that().resideInAPackage(MIRROR)
                .should().dependOnClassesThat(resideInAPackage("io.berth..")
                        .and(resideOutsideOfPackages(MIRROR, OCI, STORAGE, METADATA, EVENTS))
                        .or(resideInAPackage(JETTY)))
                .because("choosing, crawling and exporting mirrors is decided without HTTP server types, auth or"
                        + " configuration records; the HTTP layer asks, the composition root wires"));
    }

    @Test
    void onlyHttpServerAndCommandLineUseMirrors() {
        check(noClasses().that().resideOutsideOfPackages(MIRROR, HTTP, UI, METRICS, SERVER, CLI)
                .should().dependOnClassesThat().resideInAPackage(MIRROR)
                .because("mirrors are an edge concern: a redirect replaces serving bytes, the registry's operations"
                        + " never need to know"));
    }

    @Test
    void promotionDependsOnlyOnTheModelAndStoresAndNoTransportOrConfiguration() {
        check(noClasses().that().resideInAPackage(PROMOTION)
                .should().dependOnClassesThat(resideInAPackage("io.berth..")
                        .and(resideOutsideOfPackages(PROMOTION, OCI, STORAGE, METADATA, PROTECTION, SIGNING, EVENTS))
                        .or(resideInAPackage(JETTY)))
                .because("promotion rules and gates are decided without HTTP, auth or configuration records; who may"
                        + " promote is decided at the edge"));
    }

    @Test
    void onlyHttpServerAndCommandLineUsePromotion() {
        check(noClasses().that().resideOutsideOfPackages(PROMOTION, HTTP, UI, SERVER, CLI)
                .should().dependOnClassesThat().resideInAPackage(PROMOTION)
                .because("promotion is an operation the edges offer; the core operations never call it"));
    }

    @Test
    void signingDependsOnlyOnTheModel() {
        check(noClasses().that().resideInAPackage(SIGNING)
                .should().dependOnClassesThat(resideInAPackage("io.berth..").and(resideOutsideOfPackages(SIGNING, OCI))
                        .or(resideInAPackage(JETTY)))
                .because("the formats of signatures and attestations are plain data: the gates that verify them and"
                        + " the commands that write them share one definition"));
    }

    @Test
    void onlyPromotionAndCommandLineUseSigning() {
        check(noClasses().that().resideOutsideOfPackages(SIGNING, PROMOTION, CLI)
                .should().dependOnClassesThat().resideInAPackage(SIGNING)
                .because("signatures are written by the command line and verified by promotion gates, nowhere else"));
    }

    @Test
    void integrityDependsOnlyOnTheModelAndStoresAndNoTransportOrConfiguration() {
        check(noClasses().that().resideInAPackage(INTEGRITY)
                .should().dependOnClassesThat(resideInAPackage("io.berth..")
                        .and(resideOutsideOfPackages(INTEGRITY, OCI, STORAGE, METADATA))
                        .or(resideInAPackage(JETTY)))
                .because("checking and repairing stored content is decided from the stores alone, without HTTP,"
                        + " auth or configuration records; the command line runs it through the composition root"));
    }

    @Test
    void onlyTheCompositionRootAndCommandLineUseIntegrity() {
        check(noClasses().that().resideOutsideOfPackages(INTEGRITY, SERVER, CLI)
                .should().dependOnClassesThat().resideInAPackage(INTEGRITY)
                .because("fsck is an offline operation the command line offers; the serving path never calls it"));
    }

    @Test
    void garbageCollectionDependsOnlyOnTheModelAndStoresAndNoTransportOrConfiguration() {
        check(noClasses().that().resideInAPackage(GC)
                .should().dependOnClassesThat(resideInAPackage("io.berth..")
                        .and(resideOutsideOfPackages(GC, OCI, STORAGE, METADATA))
                        .or(resideInAPackage(JETTY)))
                .because("what may be removed is decided from the stores and a policy of plain values, without HTTP,"
                        + " auth or configuration records"));
    }

    @Test
    void onlyTheCompositionRootAndCommandLineUseGarbageCollection() {
        check(noClasses().that().resideOutsideOfPackages(GC, METRICS, SERVER, CLI)
                .should().dependOnClassesThat().resideInAPackage(GC)
                .because("passes run in the background of a server or from the command line; no request waits for one"));
    }

    /** Rule 21. */
    @Test
    void tagProtectionDependsOnlyOnTheOciModel() {
        check(noClasses().that().resideInAPackage(PROTECTION)
                .should().dependOnClassesThat(resideInAPackage("io.berth..").and(resideOutsideOfPackages(PROTECTION, OCI))
                        .or(resideInAPackage(JETTY)))
                .because("whether a tag may change is decided from plain values, without HTTP, auth, configuration"
                        + " or storage, so every path that writes a tag asks the same rules"));
    }

    /** Rule 22. */
    @Test
    void onlyTheOperationsTheEdgesAndTheCompositionRootUseTagProtection() {
        check(noClasses().that().resideOutsideOfPackages(PROTECTION, REGISTRY, PROMOTION, HTTP, UI, SERVER, CLI)
                .should().dependOnClassesThat().resideInAPackage(PROTECTION)
                .because("tags are written by the registry's operations and promotion; the edges say who writes"));
    }

    /** Rule 25. */
    @Test
    void metricsReadOnlyTheReportsAndSnapshotsOfTheLayersBelow() {
        check(noClasses().that().resideInAPackage(METRICS)
                .should().dependOnClassesThat(resideInAPackage("io.berth..")
                        .and(resideOutsideOfPackages(METRICS, GC, MIRROR, METADATA))
                        .or(resideInAPackage(JETTY)))
                .because("metrics are fed through plain calls and read the reports and snapshots the layers already"
                        + " keep; what is served, and to whom, is decided at the edge"));
    }

    @Test
    void eventsDependOnlyOnTheModelAndMetadata() {
        check(noClasses().that().resideInAPackage(EVENTS)
                .should().dependOnClassesThat(resideInAPackage("io.berth..").and(resideOutsideOfPackages(EVENTS, OCI, METADATA))
                        .or(resideInAPackage(JETTY)))
                .because("events are plain records written into the outbox and delivered from it; what changed is"
                        + " decided by the operations that record them, never by the code that sends them"));
    }

    /** Rule 26. */
    @Test
    void onlyTheCompositionRootUsesMetrics() {
        check(noClasses().that().resideOutsideOfPackages(METRICS, SERVER)
                .should().dependOnClassesThat().resideInAPackage(METRICS)
                .because("the layers report to small interfaces of their own; the composition root connects them"));
    }

    @Test
    void onlyTheOperationsTheEdgesAndTheCompositionRootUseEvents() {
        check(noClasses().that().resideOutsideOfPackages(EVENTS, REGISTRY, PROMOTION, MIRROR, AUDIT, HTTP, SERVER, CLI)
                .should().dependOnClassesThat().resideInAPackage(EVENTS)
                .because("the operations record events in their transactions, the audit trail records them too, the"
                        + " edges say who made a request, and the composition root starts the dispatcher"));
    }

    /** Rule 31. */
    @Test
    void auditDependsOnlyOnTheModelMetadataAndEvents() {
        check(noClasses().that().resideInAPackage(AUDIT)
                .should().dependOnClassesThat(resideInAPackage("io.berth..")
                        .and(resideOutsideOfPackages(AUDIT, OCI, METADATA, EVENTS)).or(resideInAPackage(JETTY)))
                .because("what is audited, and how it is stored, is decided without HTTP, auth or configuration"));
    }

    /** Rule 33. */
    @Test
    void theWebInterfaceReadsTheOperationsAndKnowsNoTransportOrAuthentication() {
        check(noClasses().that().resideInAPackage(UI)
                .should().dependOnClassesThat(resideInAPackage("io.berth..")
                        .and(resideOutsideOfPackages(UI, OCI, REGISTRY, METADATA, PROMOTION, PROTECTION, MIRROR))
                        .or(resideInAPackage(JETTY)))
                .because("what a page shows is read from the registry's operations, promotion and the mirrors' snapshot,"
                        + " and rendered from templates; who may see it is decided at the edge, which hands every query a"
                        + " predicate"));
    }

    /** Rule 34. */
    @Test
    void onlyTheHttpLayerUsesTheWebInterface() {
        check(noClasses().that().resideOutsideOfPackages(UI, HTTP)
                .should().dependOnClassesThat().resideInAPackage(UI)
                .because("the pages are one more front end of the HTTP layer; nothing below it renders HTML"));
    }

    /** Rule 32. */
    @Test
    void onlyTheEdgesAndTheCompositionRootUseAudit() {
        check(noClasses().that().resideOutsideOfPackages(AUDIT, HTTP, SERVER, CLI)
                .should().dependOnClassesThat().resideInAPackage(AUDIT)
                .because("the operations audit through the EventRecorder they already have; logins and robot changes"
                        + " are audited at the edges that receive them"));
    }

    /** Rule 27. */
    @Test
    void onlyTheMetricsPackageUsesMicrometer() {
        check(noClasses().that().resideOutsideOfPackage(METRICS)
                .should().dependOnClassesThat().resideInAPackage(MICROMETER)
                .because("the metrics library is a detail of one package: registry, mirror, promotion and gc never"
                        + " import it, so it can be replaced in one place"));
    }

    @Test
    void onlyEventsUseTheAmqpClient() {
        check(noClasses().that().resideOutsideOfPackage(EVENTS)
                .should().dependOnClassesThat().resideInAPackage(AMQP_CLIENT)
                .because("publishing to a broker is one destination of the dispatcher; no request talks to a broker"));
    }

    @Test
    void ourPackagesHaveNoCycles() {
        check(slices().matching("io.berth.(*)..").should().beFreeOfCycles());
    }

    private static void check(ArchRule rule) {
        rule.check(PRODUCTION);
    }
}
