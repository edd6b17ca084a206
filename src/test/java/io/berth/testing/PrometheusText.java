package io.berth.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Samples read from the Prometheus text exposition format, enough to check what a scrape says:
 * {@code name{label="value",...} number} lines; comments and blank lines are skipped.
 */
public final class PrometheusText {
    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            samples.add(sample(line));
        }
        return new PrometheusText(samples);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The samples of one metric name. */
    public List<Sample> named(String name) {
        return samples.stream().filter(sample -> sample.name().equals(name)).toList();
    }

    /** The value of the sample named {@code name} whose labels include every one of {@code labels}. */
    public Optional<Double> value(String name, Map<String, String> labels) {
        return named(name).stream()
                .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
                .map(Sample::value)
                .findFirst();
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (brace < 0 || brace > space) {
            String[] parts = line.trim().split(" ");
            return new Sample(parts[0], Map.of(), number(parts[1]));
        }
        int close = line.lastIndexOf('}');
        Map<String, String> labels = new LinkedHashMap<>();
        String body = line.substring(brace + 1, close);
        int at = 0;
        while (at < body.length()) {
            int equals = body.indexOf('=', at);
            String label = body.substring(at, equals).trim();
            StringBuilder value = new StringBuilder();
            int position = equals + 2;
            while (body.charAt(position) != '"') {
                char next = body.charAt(position);
                if (next == '\\') {
                    position++;
                    next = body.charAt(position) == 'n' ? '\n' : body.charAt(position);
                }
                value.append(next);
                position++;
            }
            labels.put(label, value.toString());
            at = position + 1;
            if (at < body.length() && body.charAt(at) == ',') {
                at++;
            }
        }
        return new Sample(line.substring(0, brace), labels, number(line.substring(close + 1).trim().split(" ")[0]));
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
