package io.berth.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.audit.AuditAction;
import io.berth.audit.AuditReader;
import io.berth.metadata.AuditFilter;
import io.berth.metadata.AuditRecord;
import io.berth.metadata.StoredAuditRecord;
import io.berth.oci.Limits;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * {@code GET /berth/v1/audit} ({@code docs/operations.md}, "Audit trail"): the audit trail, newest
 * first, filtered by {@code actor}, {@code action} (an action such as {@code login.failed}, or a
 * family such as {@code login}), {@code repository}, {@code since} (RFC 3339) and paged by
 * {@code n} and {@code before}. Only entries the caller may see are listed ({@link #visibleTo}); the
 * answer's {@code next} says where the next page starts, and a {@code Link} header points at it.
 */
final class AuditResource {
    static final int DEFAULT_PAGE = 100;

    private final AuditReader reader;

    AuditResource(AuditReader reader) {
        this.reader = reader;
    }

    void list(Exchange exchange, Predicate<StoredAuditRecord> visible) {
        Resources.requireMethod(exchange, "GET", "HEAD");
        Optional<String> action = exchange.query("action");
        if (action.isPresent() && !AuditAction.isKnown(action.get())) {
            throw Resources.badRequest("action must be one of push, delete, tag, promotion, login, robot, or one of their"
                    + " outcomes such as login.failed");
        }
        Optional<String> repository = exchange.query("repository").map(name -> Resources.name(name).value());
        Optional<Instant> since = exchange.query("since").map(AuditResource::instant);
        int limit = exchange.intQuery("n").orElse(DEFAULT_PAGE);
        if (limit <= 0 || limit > Limits.MAX_PAGE_SIZE) {
            throw Resources.badRequest("n must be between 1 and " + Limits.MAX_PAGE_SIZE);
        }
        OptionalLong before = exchange.query("before").map(AuditResource::id).orElse(OptionalLong.empty());
        AuditFilter filter = new AuditFilter(exchange.query("actor"), action, repository, since, before, limit);
        AuditReader.Page page = reader.page(filter, visible);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", page.entries().stream().map(AuditResource::describe).toList());
        body.put("next", page.before().isPresent() ? page.before().getAsLong() : null);
        page.before().ifPresent(next -> exchange.setHeader("Link", "<" + nextPage(exchange, next) + ">; rel=\"next\""));
        exchange.setHeader("Cache-Control", "no-store");
        exchange.sendJson(200, body);
    }

    /**
     * Whether an entry may be shown to a caller: admins see every entry, others their own, and
     * entries about repositories they may pull (a promotion's target and its source).
     */
    static Predicate<StoredAuditRecord> visibleTo(boolean admin, String actor, Predicate<String> mayPull) {
        return stored -> {
            AuditRecord entry = stored.record();
            return admin || entry.actor().filter(actor::equals).isPresent()
                    || (entry.repository().filter(mayPull).isPresent()
                        && entry.sourceRepository().map(mayPull::test).orElse(true));
        };
    }

    static Map<String, Object> describe(StoredAuditRecord stored) {
        AuditRecord entry = stored.record();
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("id", stored.id());
        described.put("at", entry.at().toString());
        described.put("action", entry.action());
        described.put("actor", entry.actor().orElse(null));
        described.put("client", entry.clientAddress().orElse(null));
        described.put("repository", entry.repository().orElse(null));
        described.put("source", entry.sourceRepository().orElse(null));
        described.put("detail", detail(entry.detail()));
        return described;
    }

    private static JsonNode detail(String json) {
        try {
            return Exchange.JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Exchange.JSON.getNodeFactory().textNode(json);
        }
    }

    private static String nextPage(Exchange exchange, long before) {
        StringBuilder link = new StringBuilder(Routes.AUDIT + "?before=" + before);
        for (String name : List.of("actor", "action", "repository", "since", "n")) {
            exchange.query(name).ifPresent(value -> link.append('&').append(name).append('=')
                    .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)));
        }
        return link.toString();
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw Resources.badRequest("since must be a UTC time such as 2026-12-01T00:00:00Z");
        }
    }

    private static OptionalLong id(String text) {
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw Resources.badRequest("before must be an audit entry id");
        }
    }
}
