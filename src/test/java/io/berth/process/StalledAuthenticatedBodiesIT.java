package io.berth.process;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing a client with credentials sends can exhaust the heap either: against Berth with the
 * launcher's 96 MiB heap, 2,000 connections at a time of a user allowed to push and promote (or of
 * a registry admin, for the maintenance switch) send part of a body of each kind and stall; {@code GET /v2/} keeps answering within a second, the
 * body budget turns away what does not fit (503), the limits cut every one off, and Berth still
 * serves (see {@link StalledBodiesFixture}). Whole manifests shaped to expand into large trees are
 * refused while {@code /v2/} keeps answering.
 */
class StalledAuthenticatedBodiesIT {
    private static StalledBodiesFixture berth;

    @BeforeAll
    static void start() throws Exception {
        berth = StalledBodiesFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    @Test
    void tokenFormsWithBasicCredentials() throws Exception {
        berth.holdAndCutOff("token form with Basic credentials",
                index -> StalledBodiesFixture.tokenForm("Authorization: " + StalledBodiesFixture.basic()));
    }

    @Test
    void promotionBodies() throws Exception {
        berth.holdAndCutOff("promotion with a token", index -> StalledBodiesFixture.promotion("Authorization: " + berth.bearer()));
    }

    @Test
    void maintenanceSwitchesOfAnAdministrator() throws Exception {
        berth.holdAndCutOff("maintenance switch with an admin's token",
                index -> StalledBodiesFixture.maintenanceSwitch("Authorization: " + berth.adminBearer()));
    }

    @Test
    void manifestPuts() throws Exception {
        berth.holdAndCutOff("manifest PUT with a token", index -> StalledBodiesFixture.manifest("Authorization: " + berth.bearer()));
    }

    /** Whole manifests within the size limit, shaped to expand into trees many times their size. */
    @Test
    void expansionShapedManifests() throws Exception {
        berth.refuseExpansionShapedManifests(StalledBodiesFixture.expansionShapedManifests(), 8, 6);
    }

    @Test
    void blobPatchesEachOnItsOwnSession() throws Exception {
        List<String> sessions = berth.uploadSessions(StalledBodiesFixture.CONNECTIONS);
        berth.holdAndCutOff("blob PATCH with a token",
                index -> StalledBodiesFixture.blobPatch(sessions.get(index), "Authorization: " + berth.bearer()));
    }
}
