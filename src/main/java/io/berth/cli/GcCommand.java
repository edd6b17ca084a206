package io.berth.cli;

import io.berth.config.BerthConfig;
import io.berth.gc.GcPlan;
import io.berth.gc.GcReport;
import io.berth.server.GcTools;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth gc [--dry-run]}: one garbage-collection pass now, beside running servers, with the
 * configuration's policy ({@code docs/operations.md}, "Garbage collection").
 */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Run one garbage-collection pass now: apply retention, remove untagged manifests past their age,"
                + " and remove links, blobs and repositories nothing has referenced for the grace period."
                + " Safe while servers serve; they run passes on their own as well.",
                ExitCodes.SUMMARY})
final class GcCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    RemoteOptions remote;

    @Option(names = "--dry-run", description = "List what a pass would remove now, and how many bytes, changing nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        java.util.Optional<RegistryApi> api = RemoteOptions.api(spec, remote, System.in);
        if (api.isPresent()) {
            data.requireNoneGiven("--registry");
            printRemote(api.get().post("/berth/v1/gc" + (dryRun ? "?dry-run=true" : "")), out);
            out.flush();
            return ExitCodes.OK;
        }
        BerthConfig config = data.config();
        try {
            if (dryRun) {
                print(GcTools.plan(config), out);
            } else {
                GcReport report = GcTools.runPass(config);
                out.println(report.summary());
            }
        } catch (IOException | UncheckedIOException | io.berth.metadata.MetadataException e) {
            err.println("berth: gc failed: " + e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** A pass or a dry run that a registry ran, printed as the local ones are. */
    private static void printRemote(com.fasterxml.jackson.databind.JsonNode answer, PrintWriter out) {
        if (!answer.path("dry-run").asBoolean()) {
            out.println(answer.path("summary").asText());
            return;
        }
        com.fasterxml.jackson.databind.JsonNode items = answer.path("items");
        items.path("tags").forEach(tag -> out.println("tag      " + tag.asText()));
        items.path("manifests").forEach(manifest -> out.println("manifest " + manifest.asText()));
        items.path("links").forEach(link -> out.println("link     " + link.asText()));
        items.path("blobs").forEach(blob -> out.println("blob     " + blob.asText()));
        if (answer.path("truncated").asBoolean()) {
            out.println("(only the first items of each kind are listed)");
        }
        out.printf("would remove %d tags, %d manifests, %d links, %d blobs (%s)%n", answer.path("tags").asLong(),
                answer.path("manifests").asLong(), answer.path("links").asLong(), answer.path("blobs").asLong(),
                ProgressBar.bytes(answer.path("bytes").asLong()));
    }

    private static void print(GcPlan plan, PrintWriter out) {
        plan.tags().forEach(tag -> out.println("tag      " + tag));
        plan.manifests().forEach(manifest -> out.println("manifest " + manifest));
        plan.links().forEach(link -> out.println("link     " + link));
        plan.blobs().forEach(blob -> out.println("blob     " + blob.digest() + " " + blob.size()));
        out.printf("would remove %d tags, %d manifests, %d links, %d blobs (%s)%n", plan.tags().size(), plan.manifests().size(),
                plan.links().size(), plan.blobs().size(), ProgressBar.bytes(plan.bytes()));
    }
}
