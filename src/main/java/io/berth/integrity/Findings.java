package io.berth.integrity;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything found so far, with bounded memory: every finding is counted, with its bytes, per kind,
 * but only the first {@link #LISTED_PER_KIND} of each kind are kept to be listed, so that a store
 * with a million unreferenced blobs still fits the launcher's small heap.
 */
public final class Findings {
    /** How many findings of one kind are kept to be listed; the rest are only counted. */
    public static final int LISTED_PER_KIND = 1000;

    private final Map<Finding.Kind, Long> counts = new EnumMap<>(Finding.Kind.class);
    private final Map<Finding.Kind, Long> bytes = new EnumMap<>(Finding.Kind.class);
    private final List<Finding> listed = new ArrayList<>();

    /** Findings as a checkpoint kept them. */
    static Findings restore(Map<Finding.Kind, Long> counts, Map<Finding.Kind, Long> bytes, List<Finding> listed) {
        Findings findings = new Findings();
        findings.counts.putAll(counts);
        findings.bytes.putAll(bytes);
        findings.listed.addAll(listed);
        return findings;
    }

    void add(Finding finding) {
        long before = count(finding.kind());
        counts.put(finding.kind(), before + 1);
        bytes.merge(finding.kind(), finding.bytes(), Long::sum);
        if (before < LISTED_PER_KIND) {
            listed.add(finding);
        }
    }

    /** How many findings of {@code kind} there were, listed or not. */
    public long count(Finding.Kind kind) {
        return counts.getOrDefault(kind, 0L);
    }

    /** The bytes concerned by the findings of {@code kind}. */
    public long bytes(Finding.Kind kind) {
        return bytes.getOrDefault(kind, 0L);
    }

    /** The findings kept to be listed, in the order they were found. */
    public List<Finding> listed() {
        return List.copyOf(listed);
    }

    /** How many problems (findings whose kind is a problem) there were. */
    public long problems() {
        return counts.entrySet().stream().filter(entry -> entry.getKey().problem()).mapToLong(Map.Entry::getValue).sum();
    }

    Map<Finding.Kind, Long> counts() {
        return Map.copyOf(counts);
    }

    Map<Finding.Kind, Long> bytesByKind() {
        return Map.copyOf(bytes);
    }
}
