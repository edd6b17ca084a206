package io.berth.process;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing an anonymous client sends can exhaust the heap: against Berth with the launcher's 96 MiB
 * heap and authentication on, 2,000 connections at a time send part of a body of each kind and
 * stall; {@code GET /v2/} keeps answering within a second, the limits cut every one off, and Berth
 * still serves (see {@link StalledBodiesFixture}).
 */
class StalledAnonymousBodiesIT {
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
    void tokenForms() throws Exception {
        berth.holdAndCutOff("anonymous token form", index -> StalledBodiesFixture.tokenForm());
    }

    /** The web interface's sign-in form: read without authorization, like the token form, within the same budget. */
    @Test
    void webSignInForms() throws Exception {
        berth.holdAndCutOff("anonymous web sign-in form", index -> StalledBodiesFixture.webForm("/ui/sign-in"));
    }

    @Test
    void promotionBodies() throws Exception {
        berth.holdAndCutOff("anonymous promotion", index -> StalledBodiesFixture.promotion());
    }

    @Test
    void manifestPuts() throws Exception {
        berth.holdAndCutOff("anonymous manifest PUT", index -> StalledBodiesFixture.manifest());
    }

    @Test
    void blobPatches() throws Exception {
        berth.holdAndCutOff("anonymous blob PATCH",
                index -> StalledBodiesFixture.blobPatch("/v2/stalled/app/blobs/uploads/unknown-" + index));
    }
}
