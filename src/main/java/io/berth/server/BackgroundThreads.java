package io.berth.server;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The one daemon thread each periodic component of the server runs its work on, and its stop. */
final class BackgroundThreads {
    private BackgroundThreads() {
    }

    /** A scheduler on one daemon thread named {@code name}, which never keeps the JVM alive. */
    static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name).daemon().factory());
    }

    /** Interrupts the work in progress and waits up to 10 s for it to end, so that what it uses can close. */
    static void stop(ScheduledExecutorService scheduler) {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
