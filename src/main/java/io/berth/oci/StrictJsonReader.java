package io.berth.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A streaming reader of one JSON document that refuses every input the Go clients reading the same
 * bytes (podman, skopeo, containerd, docker, and Distribution, all through Go's
 * {@code encoding/json}) would read differently, or could not read:
 * <ul>
 *   <li>bytes that are not UTF-8 (Go replaces each bad byte with U+FFFD), a byte-order mark (Go refuses
 *       it), and NUL bytes, which no JSON text contains and which would make Jackson guess UTF-16 or
 *       UTF-32;</li>
 *   <li>a {@code \}{@code u} escape of a lone surrogate (Go replaces it with U+FFFD), in any string or key;</li>
 *   <li>anything that is not RFC 8259 JSON, or more than one value;</li>
 *   <li>a number literal that overflows a {@code float64} (Go refuses to decode it);</li>
 *   <li>an object key repeated exactly (Go keeps the last, Jackson's trees the first);</li>
 *   <li>beyond {@link Limits#MAX_JSON_TOKENS}, {@link Limits#MAX_JSON_NESTING_DEPTH},
 *       {@link Limits#MAX_JSON_NUMBER_LENGTH} or {@link Limits#MAX_JSON_NAME_LENGTH}, checked as the
 *       bytes stream by, so that nothing large is built first.</li>
 * </ul>
 * Keys that collide under Go's case folding are the caller's to refuse, with {@link ObjectKeys},
 * because only the caller knows which objects Go decodes into structs.
 *
 * <p>Every method throws {@link StrictJsonException} on refused input.
 */
public final class StrictJsonReader implements AutoCloseable {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            // Names are canonicalised per parse (Jackson stops sharing a parse's table past a few
            // thousand names) but never interned into the JVM's string table.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Requests run on virtual threads: a per-thread buffer pool would allocate on every parse.
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Limits.MAX_JSON_NESTING_DEPTH)
                    .maxTokenCount(Limits.MAX_JSON_TOKENS)
                    .maxNumberLength(Limits.MAX_JSON_NUMBER_LENGTH)
                    .maxNameLength(Limits.MAX_JSON_NAME_LENGTH)
                    .maxStringLength(Limits.MAX_MANIFEST_BYTES)
                    .maxDocumentLength(Limits.MAX_MANIFEST_BYTES)
                    .build())
            .build();
    private static final int BYTE_ORDER_MARK_LENGTH = 3;

    private final JsonParser parser;

    private StrictJsonReader(JsonParser parser) {
        this.parser = parser;
    }

    /** A reader over {@code bytes}, after checking that they are UTF-8 without a byte-order mark or NUL. */
    public static StrictJsonReader of(byte[] bytes) {
        requireUtf8(bytes);
        try {
            return new StrictJsonReader(FACTORY.createParser(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks that {@code bytes} are strict UTF-8 (no overlong forms, no encoded surrogates) with no
     * byte-order mark and no NUL byte.
     */
    static void requireUtf8(byte[] bytes) {
        if (bytes.length >= BYTE_ORDER_MARK_LENGTH
                && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF) {
            throw new StrictJsonException("JSON must not start with a byte-order mark");
        }
        for (byte b : bytes) {
            if (b == 0) {
                throw new StrictJsonException("JSON must not contain a NUL byte");
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(1024);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw new StrictJsonException("JSON must be UTF-8: invalid byte sequence at offset " + in.position());
            }
            out.clear();
            if (result.isUnderflow()) {
                return;
            }
        }
    }

    /** The next token, or {@code null} at the end of the input; strings and numbers are checked as above. */
    public JsonToken next() {
        try {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) {
                requirePairedSurrogates(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            } else if (token == JsonToken.VALUE_NUMBER_FLOAT && Double.isInfinite(parser.getDoubleValue())) {
                throw new StrictJsonException("number " + parser.getText() + " is out of range");
            }
            return token;
        } catch (StreamConstraintsException e) {
            throw new StrictJsonException("JSON over a parsing limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new StrictJsonException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new StrictJsonException("unreadable JSON");
        }
    }

    /** The token {@link #next()} returned last. */
    public JsonToken token() {
        return parser.currentToken();
    }

    /** The text of the current string value or key. */
    public String text() {
        try {
            return parser.getText();
        } catch (IOException e) {
            throw new StrictJsonException("unreadable JSON");
        }
    }

    /** Whether the current token is JSON {@code null}, which Go treats as an absent value. */
    public boolean isNull() {
        return parser.currentToken() == JsonToken.VALUE_NULL;
    }

    /**
     * The current token as a {@code long} when it is an integer literal that Go's
     * {@code strconv.ParseInt} reads the same way ({@code 1.0}, {@code 1e3} and anything beyond
     * {@code int64} are not); empty otherwise.
     */
    public java.util.OptionalLong integer() {
        try {
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                return java.util.OptionalLong.empty();
            }
            JsonParser.NumberType type = parser.getNumberType();
            if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
                return java.util.OptionalLong.empty();
            }
            return java.util.OptionalLong.of(parser.getLongValue());
        } catch (IOException e) {
            throw new StrictJsonException("unreadable JSON");
        }
    }

    /** Reads past the value whose first token is current (a scalar, or a whole array or object). */
    public void skipValue() {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken next = next();
            if (next == null) {
                throw new StrictJsonException("malformed JSON: unexpected end of input");
            }
            if (next.isStructStart()) {
                depth++;
            } else if (next.isStructEnd()) {
                depth--;
            }
        }
    }

    /** Checks that nothing but whitespace follows the value just read. */
    public void requireEnd() {
        if (next() != null) {
            throw new StrictJsonException("malformed JSON: data after the document");
        }
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requirePairedSurrogates(char[] text, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = text[i];
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text[i + 1])) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new StrictJsonException("a string holds an unpaired surrogate escape (\\u"
                        + Integer.toHexString(c) + "), which Go clients replace with U+FFFD");
            }
        }
    }

    /**
     * Go's case folding of object keys: {@code encoding/json} matches a key to a struct field when
     * the two are equal under Unicode simple case folding (so {@code Layers}, {@code LAYERS} and
     * {@code layerſ}, with U+017F, all fill {@code layers}). Two keys with the same fold are one
     * field to Go. Java's upper-then-lower case mapping folds at least as much for every character
     * whose fold set holds an ASCII letter, which is all a field name has.
     */
    public static String fold(String key) {
        if (isAscii(key)) {
            return key.toLowerCase(java.util.Locale.ROOT);
        }
        StringBuilder folded = new StringBuilder(key.length());
        key.codePoints().forEach(c -> folded.appendCodePoint(
                c < 0x80 ? Character.toLowerCase(c) : Character.toLowerCase(Character.toUpperCase(c))));
        return folded.toString();
    }

    private static boolean isAscii(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * The keys of one object that Go decodes into a struct: refuses two keys with the same
     * {@link #fold(String) fold} (Go would let the last overwrite the first, while Jackson and other
     * readers see two fields), and a key that folds to one of the struct's field names without being
     * spelled exactly as it (Go reads it as that field; a case-sensitive reader does not).
     */
    public static final class ObjectKeys {
        /** Objects with more keys than this switch from a scanned list to a hash map. */
        private static final int SCANNED_KEYS = 16;

        private final Map<String, String> fieldsByFold;
        private final java.util.List<String> folds = new java.util.ArrayList<>(4);
        private final java.util.List<String> keys = new java.util.ArrayList<>(4);
        private Map<String, String> seenByFold = Map.of();

        /** Keys of an object whose known fields are {@code fields}. */
        public ObjectKeys(Map<String, String> fieldsByFold) {
            this.fieldsByFold = fieldsByFold;
        }

        /** The fold-to-name table for {@link #ObjectKeys(Map)}. */
        public static Map<String, String> fields(String... names) {
            Map<String, String> table = new HashMap<>();
            for (String name : names) {
                table.put(fold(name), name);
            }
            return Map.copyOf(table);
        }

        /** Records {@code key}, refusing it as above, and returns it. */
        public String add(String key) {
            String folded = fold(key);
            String earlier = earlier(folded);
            if (earlier != null) {
                throw new StrictJsonException("keys \"" + earlier + "\" and \"" + key
                        + "\" collide: Go clients match keys case-insensitively, and read only the last");
            }
            String field = fieldsByFold.get(folded);
            if (field != null && !field.equals(key)) {
                throw new StrictJsonException("key \"" + key + "\" must be spelled \"" + field + "\"");
            }
            if (folds.size() == Limits.MAX_JSON_ELEMENTS) {
                throw new StrictJsonException("an object has more than " + Limits.MAX_JSON_ELEMENTS + " members");
            }
            folds.add(folded);
            keys.add(key);
            if (folds.size() > SCANNED_KEYS) {
                if (seenByFold.isEmpty()) {
                    seenByFold = new HashMap<>();
                    for (int i = 0; i < folds.size() - 1; i++) {
                        seenByFold.put(folds.get(i), keys.get(i));
                    }
                }
                seenByFold.put(folded, key);
            }
            return key;
        }

        /** The key seen earlier with the fold {@code folded}, or null. */
        private String earlier(String folded) {
            if (folds.size() > SCANNED_KEYS) {
                return seenByFold.get(folded);
            }
            int index = folds.indexOf(folded);
            return index < 0 ? null : keys.get(index);
        }
    }
}
