package io.berth.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.Digest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The promotion audit trail in SQL, on the session's connection. */
final class SqlPromotions implements PromotionQueries {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = """
            id, promoted_at, actor, source_repository, source_reference, source_digest, target_repository, tags,
            previous, gates, outcome, override_reason""";

    private final SqlStatements statements;

    SqlPromotions(SqlStatements statements) {
        this.statements = statements;
    }

    @Override
    public long recordPromotion(PromotionRecord promotion) {
        return statements.query("record_promotion", """
                INSERT INTO promotions (promoted_at, actor, source_repository, source_reference, source_digest,
                  target_repository, tags, previous, gates, outcome, override_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                statement -> {
                    statement.setLong(1, promotion.at().toEpochMilli());
                    statement.setString(2, promotion.actor());
                    statement.setString(3, promotion.sourceRepository());
                    statement.setString(4, promotion.sourceReference());
                    if (promotion.sourceDigest().isPresent()) {
                        statement.setString(5, promotion.sourceDigest().get().toString());
                    } else {
                        statement.setNull(5, Types.VARCHAR);
                    }
                    statement.setString(6, promotion.targetRepository());
                    statement.setString(7, write(tagsJson(promotion.tags())));
                    statement.setString(8, write(previousJson(promotion.previous())));
                    statement.setString(9, write(gatesJson(promotion.gates())));
                    statement.setString(10, promotion.outcome().name().toLowerCase(Locale.ROOT));
                    if (promotion.overrideReason().isPresent()) {
                        statement.setString(11, promotion.overrideReason().get());
                    } else {
                        statement.setNull(11, Types.VARCHAR);
                    }
                },
                rows -> {
                    rows.next();
                    return rows.getLong(1);
                });
    }

    @Override
    public List<StoredPromotion> listPromotions(PromotionFilter filter) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM promotions WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        filter.targetRepository().ifPresent(name -> {
            sql.append(" AND target_repository = ?");
            parameters.add(name);
        });
        filter.sourceRepository().ifPresent(name -> {
            sql.append(" AND source_repository = ?");
            parameters.add(name);
        });
        filter.sourceDigest().ifPresent(digest -> {
            sql.append(" AND source_digest = ?");
            parameters.add(digest.toString());
        });
        if (filter.before().isPresent()) {
            sql.append(" AND id < ?");
            parameters.add(filter.before().getAsLong());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        parameters.add((long) filter.limit());
        return statements.query("list_promotions", sql.toString(),
                statement -> {
                    for (int i = 0; i < parameters.size(); i++) {
                        if (parameters.get(i) instanceof Long number) {
                            statement.setLong(i + 1, number);
                        } else {
                            statement.setString(i + 1, (String) parameters.get(i));
                        }
                    }
                },
                SqlStatements.allRows(SqlPromotions::promotionRow));
    }

    private static StoredPromotion promotionRow(ResultSet rows) throws SQLException {
        String digest = rows.getString(6);
        List<String> tags = new ArrayList<>();
        read(rows.getString(8)).forEach(tag -> tags.add(tag.asText()));
        Map<String, Optional<Digest>> previous = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = read(rows.getString(9)).properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            previous.put(field.getKey(), field.getValue().isNull() ? Optional.empty() : Optional.of(Digest.parse(field.getValue().asText())));
        }
        List<PromotionRecord.GateOutcome> gates = new ArrayList<>();
        read(rows.getString(10)).forEach(gate -> gates.add(new PromotionRecord.GateOutcome(gate.path("gate").asText(),
                gate.path("passed").asBoolean(), gate.path("reason").asText())));
        PromotionRecord promotion = new PromotionRecord(Instant.ofEpochMilli(rows.getLong(2)), rows.getString(3),
                rows.getString(4), rows.getString(5), Optional.ofNullable(digest).map(Digest::parse), rows.getString(7),
                tags, previous, gates, PromotionRecord.Outcome.valueOf(rows.getString(11).toUpperCase(Locale.ROOT)),
                Optional.ofNullable(rows.getString(12)));
        return new StoredPromotion(rows.getLong(1), promotion);
    }

    private static ArrayNode tagsJson(List<String> tags) {
        ArrayNode array = JSON.createArrayNode();
        tags.forEach(array::add);
        return array;
    }

    private static ObjectNode previousJson(Map<String, Optional<Digest>> previous) {
        ObjectNode object = JSON.createObjectNode();
        previous.forEach((tag, digest) -> {
            if (digest.isPresent()) {
                object.put(tag, digest.get().toString());
            } else {
                object.putNull(tag);
            }
        });
        return object;
    }

    private static ArrayNode gatesJson(List<PromotionRecord.GateOutcome> gates) {
        ArrayNode array = JSON.createArrayNode();
        for (PromotionRecord.GateOutcome gate : gates) {
            array.addObject().put("gate", gate.gate()).put("passed", gate.passed()).put("reason", gate.reason());
        }
        return array;
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String text) throws SQLException {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("a promotion row holds malformed JSON", e);
        }
    }
}
