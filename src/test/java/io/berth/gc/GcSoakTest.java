package io.berth.gc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Online garbage collection under load ({@link GcSoak}): concurrent pushes of images sharing layers,
 * tag moves, deletes, mounts and promotions over real HTTP, with passes running back to back on every
 * node and a one-second grace. Every acknowledged image whose tag is still current pulls back intact,
 * and once everything else is deleted the store holds exactly what the kept images need, with
 * {@code berth fsck} clean. The assertions are invariants, never rates, so a slow machine only does
 * less. {@code -Dberth.soak.seconds=180} runs a long soak; {@code bench/gc soak} prints the figures.
 * The PostgreSQL setup needs the server of {@code BERTH_TEST_POSTGRES_URL} (default 127.0.0.1:5432/test).
 */
class GcSoakTest {
    private static final Duration LOAD = Duration.ofSeconds(Long.getLong("berth.soak.seconds", 12));
    private static final int WORKERS = 6;

    @Test
    void oneNodeOverSqliteAndTheFilesystem() throws Exception {
        try (SoakNodes nodes = SoakNodes.sqliteAndFilesystem()) {
            holdsItsInvariants(new GcSoak(nodes, SoakPlan.mixed(LOAD, WORKERS, 1)).run());
        }
    }

    @Test
    void threeNodesOverPostgresqlAndS3() throws Exception {
        try (SoakNodes nodes = SoakNodes.postgresqlAndS3(3)) {
            holdsItsInvariants(new GcSoak(nodes, SoakPlan.mixed(LOAD, WORKERS, 2)).run());
        }
    }

    private static void holdsItsInvariants(SoakReport report) {
        System.out.println(report.summary());
        // How much gets acknowledged depends on the machine (a push slower than the one-second grace is
        // refused, and rightly); that the run pushed and collected at all does not.
        assertThat(report.pushesAttempted()).as(report.summary()).isPositive();
        assertThat(report.gcPasses()).as(report.summary()).isPositive();
        assertThat(report.failedPulls()).as(report.summary()).isZero();
        assertThat(report.fsckProblems()).as(report.summary()).isZero();
        assertThat(report.actualBlobs()).as(report.summary()).isEqualTo(report.expectedBlobs());
        assertThat(report.actualBytes()).as(report.summary()).isEqualTo(report.expectedBytes());
    }
}
