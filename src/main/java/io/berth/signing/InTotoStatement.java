package io.berth.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.Digest;

/** An in-toto statement (v1) about one image: its subject, predicate type and predicate. */
public final class InTotoStatement {
    /** The {@code _type} of an in-toto v1 statement. */
    public static final String TYPE_V1 = "https://in-toto.io/Statement/v1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private InTotoStatement() {
    }

    /** The statement that {@code predicate} of type {@code predicateType} holds for the image {@code name}@{@code digest}. */
    public static byte[] of(String name, Digest digest, String predicateType, JsonNode predicate) {
        ObjectNode statement = JSON.createObjectNode();
        statement.put("_type", TYPE_V1);
        ObjectNode subject = statement.putArray("subject").addObject();
        subject.put("name", name);
        subject.putObject("digest").put(digest.algorithm().identifier(), digest.encoded());
        statement.put("predicateType", predicateType);
        statement.set("predicate", predicate);
        try {
            return JSON.writeValueAsBytes(statement);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
