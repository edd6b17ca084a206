package io.berth.promotion;

import io.berth.metadata.PromotionRecord.GateOutcome;
import io.berth.metadata.ReferrerRecord;
import io.berth.oci.Digest;
import io.berth.oci.Tag;
import io.berth.oci.TagPattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The gates a promotion rule can require ({@code docs/promotion.md}, "Gates"). */
public final class Gates {
    /** A value that any non-empty value satisfies. */
    public static final String ANY_VALUE = "*";

    private Gates() {
    }

    /** The source manifest carries annotation {@code key} (with {@code value}, unless that is {@code *}). */
    public record RequiredAnnotation(String key, String value) implements Gate {
        @Override
        public GateOutcome check(PromotionCandidate candidate) {
            String name = "annotation " + key + (value.equals(ANY_VALUE) ? "" : "=" + value);
            Optional<String> actual = Optional.ofNullable(candidate.manifest().annotations().get(key));
            if (actual.isEmpty() || actual.get().isEmpty()) {
                return new GateOutcome(name, false, "the manifest has no annotation " + key);
            }
            if (!matches(value, actual.get())) {
                return new GateOutcome(name, false, "annotation " + key + " is '" + actual.get() + "', not '" + value + "'");
            }
            return new GateOutcome(name, true, "annotation " + key + " is '" + actual.get() + "'");
        }
    }

    /** Every image of the source carries config label {@code key} (with {@code value}, unless that is {@code *}). */
    public record RequiredLabel(String key, String value) implements Gate {
        @Override
        public GateOutcome check(PromotionCandidate candidate) {
            String name = "label " + key + (value.equals(ANY_VALUE) ? "" : "=" + value);
            List<Map<String, String>> images = candidate.imageLabels().get();
            if (images.isEmpty()) {
                return new GateOutcome(name, false, "the manifest lists no image whose labels could be read");
            }
            for (Map<String, String> labels : images) {
                String actual = labels.get(key);
                if (actual == null || actual.isEmpty()) {
                    return new GateOutcome(name, false, "an image has no label " + key);
                }
                if (!matches(value, actual)) {
                    return new GateOutcome(name, false, "an image's label " + key + " is '" + actual + "', not '" + value + "'");
                }
            }
            return new GateOutcome(name, true, images.size() == 1 ? "the image has it" : "all " + images.size() + " images have it");
        }
    }

    /**
     * A referrer of the source manifest (a signature, an SBOM, a test report) has {@code artifactType}
     * and every annotation of {@code annotations}.
     */
    public record RequiredReferrer(String artifactType, Map<String, String> annotations) implements Gate {
        public RequiredReferrer {
            annotations = Map.copyOf(annotations);
        }

        @Override
        public GateOutcome check(PromotionCandidate candidate) {
            String name = "referrer " + artifactType + (annotations.isEmpty() ? "" : " with " + annotations);
            List<ReferrerRecord> ofType = candidate.referrers().stream()
                    .filter(referrer -> referrer.artifactType().filter(artifactType::equals).isPresent()).toList();
            if (ofType.isEmpty()) {
                return new GateOutcome(name, false, "no referrer of type " + artifactType);
            }
            for (ReferrerRecord referrer : ofType) {
                boolean all = annotations.entrySet().stream().allMatch(wanted ->
                        matches(wanted.getValue(), referrer.annotations().getOrDefault(wanted.getKey(), "")));
                if (all) {
                    return new GateOutcome(name, true, "referrer " + referrer.digest());
                }
            }
            return new GateOutcome(name, false, ofType.size() + " referrer(s) of type " + artifactType
                    + ", none with annotations " + annotations);
        }
    }

    /** The source manifest has been in its repository at least {@code age}. */
    public record MinimumAge(Duration age) implements Gate {
        @Override
        public GateOutcome check(PromotionCandidate candidate) {
            Duration actual = Duration.between(candidate.storedAt(), candidate.now());
            String name = "minimum age " + age.toSeconds() + " s";
            return actual.compareTo(age) >= 0
                    ? new GateOutcome(name, true, "pushed " + actual.toSeconds() + " s ago")
                    : new GateOutcome(name, false, "pushed only " + actual.toSeconds() + " s ago");
        }
    }

    /** A tag of the source manifest matches one of {@code patterns} ({@code *} and {@code ?} wildcards). */
    public record SourceTagPattern(List<String> patterns) implements Gate {
        public SourceTagPattern {
            patterns = List.copyOf(patterns);
        }

        @Override
        public GateOutcome check(PromotionCandidate candidate) {
            String name = "source tag matching " + patterns;
            for (String tag : candidate.sourceTags()) {
                for (String pattern : patterns) {
                    if (new TagPattern(pattern).matches(tag)) {
                        return new GateOutcome(name, true, "source tag " + tag);
                    }
                }
            }
            return new GateOutcome(name, false, candidate.sourceTags().isEmpty()
                    ? "the source manifest has no tag"
                    : "source tags " + candidate.sourceTags() + " match none");
        }
    }

    /** Target tags never move to another digest, except those named in {@code mutable}. */
    public record ImmutableTags(Set<String> mutable) implements Gate {
        public ImmutableTags {
            mutable = Set.copyOf(mutable);
        }

        @Override
        public GateOutcome check(PromotionCandidate candidate) {
            String name = "immutable tags" + (mutable.isEmpty() ? "" : " (except " + String.join(", ", mutable.stream().sorted().toList()) + ")");
            List<String> moved = new ArrayList<>();
            for (Map.Entry<Tag, Optional<Digest>> entry : candidate.targetTags().entrySet()) {
                Optional<Digest> current = entry.getValue();
                if (current.isPresent() && !current.get().equals(candidate.digest()) && !mutable.contains(entry.getKey().value())) {
                    moved.add(entry.getKey().value() + " (at " + current.get() + ")");
                }
            }
            return moved.isEmpty()
                    ? new GateOutcome(name, true, "no immutable tag moves")
                    : new GateOutcome(name, false, "would move " + String.join(", ", moved.stream().sorted().toList()));
        }
    }

    private static boolean matches(String wanted, String actual) {
        return wanted.equals(ANY_VALUE) ? !actual.isEmpty() : wanted.equals(actual);
    }
}
