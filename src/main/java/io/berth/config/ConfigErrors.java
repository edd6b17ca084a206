package io.berth.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what went wrong while reading a configuration file into one line a person can act on:
 * {@code FILE: line N: KEY.PATH: what is wrong}. The YAML library's own wording and class names
 * stay out of it; the exception is kept as the cause.
 */
final class ConfigErrors {
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:field|Object property) '([^']*)'");
    private static final Pattern LEADING_KEY = Pattern.compile("^([a-z][a-z0-9-]*(?:\\.[a-z][a-z0-9-]*)*)[ :]");

    private ConfigErrors() {
    }

    /** The error for a file Jackson could not read or map. */
    static ConfigException describe(Path file, StreamReadException e) {
        Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        if (duplicate.find() && e.getProcessor() instanceof JsonParser parser) {
            JsonPointer where = parser.getParsingContext().pathAsPointer();
            OptionalInt first = ConfigLocator.keyLineOf(file, where, 1);
            OptionalInt second = ConfigLocator.keyLineOf(file, where, 2);
            return new ConfigException(at(file, second.isPresent() ? second : line(e.getLocation()), keyPath(where))
                    + "duplicate key '" + duplicate.group(1) + "'"
                    + (first.isPresent() ? " (first at line " + first.getAsInt() + "; give each key once)" : ""), e);
        }
        // The parser's own lines, without the "in 'reader', line 2" markers and the quoted source under them.
        String problem = String.join(": ", String.valueOf(e.getOriginalMessage()).lines()
                .filter(text -> !text.isBlank() && !Character.isWhitespace(text.charAt(0)) && !text.startsWith("in '"))
                .toList());
        return new ConfigException(at(file, line(e.getLocation()), "") + "not valid YAML: " + problem, e);
    }

    static ConfigException describe(Path file, DatabindException e) {
        JsonMappingException mapping = (JsonMappingException) e;
        String path = path(mapping.getPath());
        if (e instanceof UnrecognizedPropertyException unknown) {
            String parent = path(mapping.getPath().subList(0, mapping.getPath().size() - 1));
            return new ConfigException(at(file, lineOf(file, path, e), parent) + "unknown key '" + unknown.getPropertyName()
                    + "'" + suggestion(unknown.getPropertyName(), unknown.getKnownPropertyIds()), e);
        }
        Optional<RuntimeException> refused = refusal(e);
        if (refused.isPresent()) {
            return refused(file, path, refused.get(), e);
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return new ConfigException(at(file, lineOf(file, path, e), path) + "expected " + kind(mismatch.getTargetType()), e);
        }
        return new ConfigException(at(file, lineOf(file, path, e), path) + "this value cannot be used here", e);
    }

    /** A section's own check refused it: name the key it named (or that its message starts with) and its line. */
    private static ConfigException refused(Path file, String path, RuntimeException refusal, Exception e) {
        String message = String.valueOf(refusal.getMessage());
        if (refusal instanceof ConfigException configured && configured.key().isPresent()) {
            String key = join(path, configured.key().get());
            return new ConfigException(at(file, lineOf(file, key, e), key) + message, e);
        }
        Matcher leading = LEADING_KEY.matcher(message);
        if (leading.find()) {
            OptionalInt line = ConfigLocator.lineOf(file, pointer(leading.group(1)));
            if (line.isPresent()) {
                return new ConfigException(at(file, line, "") + message, e);
            }
        }
        return new ConfigException(at(file, lineOf(file, path, e), path) + message, e);
    }

    private static Optional<RuntimeException> refusal(Throwable e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ConfigException || cause instanceof IllegalArgumentException) {
                return Optional.of((RuntimeException) cause);
            }
        }
        return Optional.empty();
    }

    private static String at(Path file, OptionalInt line, String path) {
        return file + ": " + (line.isPresent() ? "line " + line.getAsInt() + ": " : "") + (path.isEmpty() ? "" : path + ": ");
    }

    private static OptionalInt lineOf(Path file, String path, Exception e) {
        OptionalInt line = path.isEmpty() ? OptionalInt.empty() : ConfigLocator.lineOf(file, pointer(path));
        return line.isPresent() ? line : e instanceof JsonMappingException mapping ? line(mapping.getLocation()) : OptionalInt.empty();
    }

    private static OptionalInt line(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? OptionalInt.empty() : OptionalInt.of(location.getLineNr());
    }

    /** {@code auth.policy[2].actions}, as the documentation writes keys. */
    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String keyPath(JsonPointer pointer) {
        StringBuilder path = new StringBuilder();
        for (String step : pointer.toString().split("/")) {
            if (step.matches("\\d+")) {
                path.append('[').append(step).append(']');
            } else if (!step.isEmpty()) {
                path.append(path.isEmpty() ? "" : ".").append(step.replace("~1", "/").replace("~0", "~"));
            }
        }
        return path.toString();
    }

    /** {@code auth.policy[2].actions} → {@code /auth/policy/2/actions}. */
    private static JsonPointer pointer(String path) {
        StringBuilder pointer = new StringBuilder();
        for (String step : path.replace("[", ".").replace("]", "").split("\\.")) {
            if (!step.isEmpty()) {
                pointer.append('/').append(step.replace("~", "~0").replace("/", "~1"));
            }
        }
        return JsonPointer.compile(pointer.toString());
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String kind(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a single value (text)";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a section of keys";
    }

    /** {@code (did you mean 'data-dir'?)} when one known key is close to the unknown one, else nothing. */
    static String suggestion(String unknown, Collection<Object> known) {
        String wanted = normalized(unknown);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Object candidate : known) {
            String key = String.valueOf(candidate);
            String normalized = normalized(key);
            int distance = distance(wanted, normalized);
            boolean prefix = Math.min(wanted.length(), normalized.length()) >= 4
                    && (wanted.startsWith(normalized) || normalized.startsWith(wanted));
            if ((distance <= Math.max(2, Math.max(wanted.length(), normalized.length()) / 4) || prefix) && distance < bestDistance) {
                best = key;
                bestDistance = distance;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static String normalized(String key) {
        return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
