package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.audit.AuditAction;
import io.berth.audit.AuditReader;
import io.berth.metadata.AuditFilter;
import io.berth.metadata.AuditRecord;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.StoredAuditRecord;
import io.berth.server.OneLinePrintStream;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth audit}: the audit trail, newest first ({@code docs/operations.md}, "Audit trail"). On
 * the data directory it shows every entry; with {@code --registry} the entries the caller may see.
 * Every field is printed escaped, so an entry cannot forge a line of the output.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Show the audit trail, newest first: pushes, deletes, tag moves, promotions, logins and robot changes,"
                + " with who and from where.", ExitCodes.SUMMARY})
final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    RemoteOptions remote;

    @Option(names = "--actor", description = "Only entries by this name (a user, robot$NAME, or a name tried at login).")
    String actor;

    @Option(names = "--action", description = "Only this action (push, delete, tag, promotion.granted, promotion.refused,"
            + " login.succeeded, login.failed, robot.created, robot.rotated, robot.revoked) or family (promotion, login, robot).")
    String action;

    @Option(names = "--repository", description = "Only entries about this repository (a promotion's target or source).")
    String repository;

    @Option(names = "--since", paramLabel = "TIME", description = "Only entries at or after this UTC time (2026-12-01T00:00:00Z).")
    String since;

    @Option(names = {"-n", "--limit"}, defaultValue = "100", description = "At most this many (default ${DEFAULT-VALUE}, at most 1000).")
    int limit;

    @Option(names = "--before", paramLabel = "ID", description = "Only entries older than entry #ID: the next page,"
            + " where the previous one said it starts.")
    Long before;

    @Override
    public Integer call() throws Exception {
        if (action != null && !AuditAction.isKnown(action)) {
            throw new IllegalArgumentException("--action must be push, delete, tag, promotion, login, robot, or one of their"
                    + " outcomes such as login.failed");
        }
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("--limit must be between 1 and 1000");
        }
        if (before != null && before < 1) {
            throw new IllegalArgumentException("--before must be an audit entry id");
        }
        Optional<Instant> from = Optional.ofNullable(since).map(AuditCommand::instant);
        PrintWriter out = spec.commandLine().getOut();
        Optional<RegistryApi> api = RemoteOptions.api(spec, remote, System.in);
        OptionalLong next;
        if (api.isPresent()) {
            data.requireNoneGiven("--registry");
            JsonNode page = api.get().get("/berth/v1/audit", RegistryApi.query("actor", actor, "action", action,
                    "repository", repository, "since", since, "n", limit, "before", before));
            for (JsonNode entry : page.path("entries")) {
                out.println(line(entry.path("id").asLong(), entry.path("at").asText(), entry.path("action").asText(),
                        text(entry, "actor"), text(entry, "client"), text(entry, "repository"), text(entry, "source"),
                        entry.path("detail").toString()));
            }
            next = page.path("next").canConvertToLong() ? OptionalLong.of(page.path("next").asLong()) : OptionalLong.empty();
        } else {
            AuditFilter filter = new AuditFilter(Optional.ofNullable(actor), Optional.ofNullable(action),
                    Optional.ofNullable(repository), from,
                    before == null ? OptionalLong.empty() : OptionalLong.of(before), limit);
            try (MetadataStore metadata = data.open()) {
                AuditReader.Page page = new AuditReader(metadata).page(filter, entry -> true);
                for (StoredAuditRecord stored : page.entries()) {
                    AuditRecord entry = stored.record();
                    out.println(line(stored.id(), entry.at().toString(), entry.action(), entry.actor().orElse("-"),
                            entry.clientAddress().orElse("-"), entry.repository().orElse("-"),
                            entry.sourceRepository().orElse("-"), entry.detail()));
                }
                next = page.before();
            }
        }
        out.flush();
        if (next.isPresent()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("more entries: add --before " + next.getAsLong());
            err.flush();
        }
        return ExitCodes.OK;
    }

    /**
     * One entry: {@code #ID TIME ACTION ACTOR CLIENT REPOSITORY[<-SOURCE] DETAIL}, every field
     * escaped to one line (a registry's answer is as untrusted as a client's request).
     */
    static String line(long id, String at, String action, String actor, String client, String repository, String source,
                       String detail) {
        return "#%d %s %-17s %s %s %s%s %s".formatted(id, OneLinePrintStream.oneLine(at), OneLinePrintStream.oneLine(action),
                OneLinePrintStream.oneLine(actor), OneLinePrintStream.oneLine(client), OneLinePrintStream.oneLine(repository),
                source.equals("-") ? "" : " <- " + OneLinePrintStream.oneLine(source), OneLinePrintStream.oneLine(detail));
    }

    private static String text(JsonNode entry, String field) {
        return entry.path(field).isTextual() ? entry.path(field).asText() : "-";
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since must be a UTC time such as 2026-12-01T00:00:00Z");
        }
    }
}
