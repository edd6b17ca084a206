package io.berth.cli;

import io.berth.config.BerthConfig;
import io.berth.metadata.MetadataStore;
import io.berth.mirror.Continents;
import io.berth.mirror.CrawlResult;
import io.berth.mirror.Mirror;
import io.berth.mirror.MirrorCatalogue;
import io.berth.mirror.MirrorExport;
import io.berth.mirror.MirrorStatus;
import io.berth.mirror.Netblock;
import io.berth.server.MirrorTools;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth mirror export|add|list|remove|enable|disable|crawl}: the mirror tree and the mirror
 * catalogue ({@code docs/mirrors.md}). Changes reach running servers at their next catalogue refresh.
 */
@Command(name = "mirror", mixinStandardHelpOptions = true,
        description = "Export the mirror tree and manage download mirrors.",
        subcommands = {MirrorCommand.Export.class, MirrorCommand.Add.class, MirrorCommand.ListMirrors.class,
                MirrorCommand.Remove.class, MirrorCommand.Enable.class, MirrorCommand.Disable.class,
                MirrorCommand.Crawl.class})
final class MirrorCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write or refresh the mirror tree (blobs/ and berth-sync/) in DIR, incrementally.")
    static final class Export implements Callable<Integer> {
        @Mixin
        DataOptions data;

        @Parameters(paramLabel = "DIR", arity = "0..1",
                description = "Directory of the mirror tree (default: mirrors.export-directory).")
        Path directory;

        @Option(names = "--quiet", description = "No progress bar.")
        boolean quiet;

        @Override
        public Integer call() {
            BerthConfig config = data.config();
            Optional<Path> target = Optional.ofNullable(directory).or(() -> config.mirrors().export().map(Path::of));
            if (target.isEmpty()) {
                System.err.println("berth: name the export directory, or set mirrors.export-directory");
                return ExitCodes.USAGE;
            }
            // A bar only where someone watches it: cron and systemd would keep every redraw.
            MirrorExport.Result result = MirrorTools.export(config, target.get(),
                    quiet || !Terminal.standardErrorIsATerminal() ? io.berth.mirror.ExportProgress.silent()
                            : new ProgressBar(System.err));
            System.out.printf("mirror tree %s: generation %s%s; %d blobs linked, %d copied (%s), %d already there%n",
                    target.get(), result.generation().isPresent() ? result.generation().getAsLong() : "none",
                    result.newGeneration().isPresent() ? " (new)" : "", result.linked(), result.copied(),
                    ProgressBar.bytes(result.copiedBytes()), result.present());
            return ExitCodes.OK;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a mirror to the catalogue.")
    static final class Add implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        DataOptions data;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--url", required = true, description = "Base URL of the mirror's copy of the tree.")
        String url;

        @Option(names = "--country", description = "ISO 3166-1 alpha-2 country code.")
        String country;

        @Option(names = "--continent", description = "Continent code (default: the country's).")
        String continent;

        @Option(names = "--netblock", paramLabel = "CIDR", description = "Client network it serves first (repeatable).")
        List<String> netblocks = new ArrayList<>();

        @Option(names = "--asn", paramLabel = "NUMBER", description = "Client autonomous system it serves first (repeatable).")
        List<Long> asns = new ArrayList<>();

        @Option(names = "--bandwidth-mbps", defaultValue = "100", description = "Declared bandwidth, its weight (default ${DEFAULT-VALUE}).")
        int bandwidthMbps;

        @Option(names = "--private", description = "Serve only its netblocks and autonomous systems.")
        boolean privateMirror;

        @Option(names = "--allow-country", paramLabel = "CC", description = "Only client country it serves otherwise (repeatable).")
        List<String> allowedCountries = new ArrayList<>();

        @Option(names = "--disabled", description = "Add it disabled.")
        boolean disabled;

        @Override
        public Integer call() {
            for (String code : Stream.concat(Stream.ofNullable(country), allowedCountries.stream()).toList()) {
                if (!Continents.isCountryCode(code)) {
                    spec.commandLine().getErr().println("berth: '" + code + "' is not an ISO 3166-1 alpha-2 country code"
                            + " (such as DE, US, BR)");
                    spec.commandLine().getErr().flush();
                    return ExitCodes.USAGE;
                }
            }
            Mirror mirror;
            try {
                mirror = new Mirror(name, URI.create(url), Optional.ofNullable(country), Optional.ofNullable(continent),
                        netblocks.stream().map(Netblock::parse).toList(), new HashSet<>(asns), bandwidthMbps,
                        privateMirror, new HashSet<>(allowedCountries), !disabled, false);
            } catch (IllegalArgumentException e) {
                System.err.println("berth: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            try (MetadataStore metadata = data.open()) {
                if (!new MirrorCatalogue(metadata, Clock.systemUTC()).add(mirror)) {
                    System.err.println("berth: a mirror named " + name + " exists already");
                    return ExitCodes.FAILED;
                }
            }
            System.out.println("added mirror " + name + "; it is used once a crawl finds it up to date");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the mirrors and their crawl state.")
    static final class ListMirrors implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        DataOptions data;

        @Mixin
        RemoteOptions remote;

        @Override
        public Integer call() throws java.io.IOException {
            Optional<RegistryApi> api = RemoteOptions.api(spec, remote, System.in);
            if (api.isPresent()) {
                data.requireNoneGiven("--registry");
                printRemote(api.get().get("/berth/v1/mirrors", java.util.Map.of()));
                return ExitCodes.OK;
            }
            List<MirrorStatus> statuses;
            try (MetadataStore metadata = data.open()) {
                MirrorTools.declareConfigured(data.config(), metadata);
                statuses = new MirrorCatalogue(metadata, Clock.systemUTC()).statuses();
            }
            String format = "%-16s %-9s %-10s %-8s %-20s %s%n";
            System.out.printf(format, "NAME", "STATE", "GENERATION", "WHERE", "NETWORKS", "URL");
            for (MirrorStatus status : statuses) {
                Mirror mirror = status.mirror();
                String state = !mirror.enabled() ? "disabled" : status.stale() ? "stale" : "fresh";
                String where = mirror.country().orElse("-") + "/" + mirror.continent().orElse("-");
                String networks = (mirror.privateMirror() ? "private " : "")
                        + mirror.netblocks().stream().map(Netblock::toString).collect(Collectors.joining(","))
                        + (mirror.autonomousSystems().isEmpty() ? "" : " AS" + mirror.autonomousSystems().stream()
                        .sorted().map(String::valueOf).collect(Collectors.joining(",AS")));
                System.out.printf(format, mirror.name(), state,
                        status.syncedGeneration().isPresent() ? status.syncedGeneration().getAsLong() : "-", where,
                        networks.isBlank() ? "-" : networks.strip(), mirror.baseUri());
                status.lastError().ifPresent(error -> System.out.println("    last error: " + error));
            }
            return ExitCodes.OK;
        }

        /** The mirrors as the registry's API lists them (netblocks and private mirrors only for admins). */
        private static void printRemote(com.fasterxml.jackson.databind.JsonNode listed) {
            String format = "%-16s %-9s %-10s %-8s %-20s %s%n";
            System.out.printf(format, "NAME", "STATE", "GENERATION", "WHERE", "NETWORKS", "URL");
            for (com.fasterxml.jackson.databind.JsonNode mirror : listed.path("mirrors")) {
                String state = !mirror.path("enabled").asBoolean() ? "disabled" : mirror.path("stale").asBoolean() ? "stale" : "fresh";
                String where = mirror.path("country").asText("-") + "/" + mirror.path("continent").asText("-");
                List<String> networks = new ArrayList<>();
                mirror.path("netblocks").forEach(block -> networks.add(block.asText()));
                mirror.path("asns").forEach(asn -> networks.add("AS" + asn.asText()));
                String shown = (mirror.path("private").asBoolean() ? "private " : "") + String.join(",", networks);
                System.out.printf(format, mirror.path("name").asText(), state, mirror.path("syncedGeneration").asText("-"), where,
                        shown.isBlank() ? "-" : shown.strip(), mirror.path("url").asText());
                if (mirror.path("lastError").isTextual()) {
                    System.out.println("    last error: " + mirror.path("lastError").asText());
                }
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a mirror added with 'berth mirror add'.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        DataOptions data;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            MirrorCatalogue.Removal removal;
            try (MetadataStore metadata = data.open()) {
                removal = new MirrorCatalogue(metadata, Clock.systemUTC()).remove(name);
            }
            return switch (removal) {
                case REMOVED -> {
                    System.out.println("removed mirror " + name);
                    yield ExitCodes.OK;
                }
                case NOT_FOUND -> {
                    System.err.println("berth: no mirror named " + name);
                    yield ExitCodes.FAILED;
                }
                case DECLARED_IN_CONFIGURATION -> {
                    System.err.println("berth: mirror " + name + " is declared in the configuration file; remove it there");
                    yield ExitCodes.FAILED;
                }
            };
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = "Enable a mirror (also after the crawler disabled it); failed crawls are forgotten.")
    static final class Enable implements Callable<Integer> {
        @Mixin
        DataOptions data;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return setEnabled(data, name, true);
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a mirror: no client is sent to it.")
    static final class Disable implements Callable<Integer> {
        @Mixin
        DataOptions data;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return setEnabled(data, name, false);
        }
    }

    private static int setEnabled(DataOptions data, String name, boolean enabled) {
        boolean changed;
        try (MetadataStore metadata = data.open()) {
            changed = new MirrorCatalogue(metadata, Clock.systemUTC()).setEnabled(name, enabled);
        }
        if (!changed) {
            System.err.println("berth: no mirror named " + name);
            return ExitCodes.FAILED;
        }
        System.out.println((enabled ? "enabled" : "disabled") + " mirror " + name);
        return ExitCodes.OK;
    }

    @Command(name = "crawl", mixinStandardHelpOptions = true, description = "Crawl every enabled mirror now.")
    static final class Crawl implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        DataOptions data;

        @Mixin
        RemoteOptions remote;

        @Override
        public Integer call() throws InterruptedException, java.io.IOException {
            Optional<RegistryApi> api = RemoteOptions.api(spec, remote, System.in);
            if (api.isPresent()) {
                data.requireNoneGiven("--registry");
                boolean allFresh = true;
                for (com.fasterxml.jackson.databind.JsonNode result : api.get().post("/berth/v1/mirrors/crawl").path("crawled")) {
                    boolean ok = result.path("ok").asBoolean();
                    allFresh &= ok;
                    System.out.println(result.path("mirror").asText() + ": " + (ok
                            ? "fresh at generation " + result.path("generation").asText()
                            : "stale: " + result.path("error").asText()));
                }
                return allFresh ? ExitCodes.OK : ExitCodes.FAILED;
            }
            BerthConfig config = data.config();
            try (MetadataStore metadata = data.open()) {
                MirrorTools.declareConfigured(config, metadata);
            }
            List<CrawlResult> results = MirrorTools.crawl(config);
            for (CrawlResult result : results) {
                System.out.println(result.mirror() + ": " + (result.succeeded()
                        ? "fresh at generation " + result.generation().getAsLong()
                        : "stale: " + result.error().orElseThrow()));
            }
            return results.stream().allMatch(CrawlResult::succeeded) ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
