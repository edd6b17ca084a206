package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Candidate → stable promotion ({@code docs/promotion.md}).
 *
 * @param namespaces which repositories promote into which; nothing else may be promoted
 * @param gates      what promotions into matching target repositories must satisfy
 */
public record PromotionConfig(
        @JsonProperty("namespaces") List<Namespace> namespaces,
        @JsonProperty("gates") List<GateRuleConfig> gates) {

    public PromotionConfig {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        gates = gates == null ? List.of() : List.copyOf(gates);
    }

    public static PromotionConfig defaults() {
        return new PromotionConfig(null, null);
    }

    /** {@code from: candidate/*, to: *} or {@code from: candidate/fedora, to: fedora}. */
    public record Namespace(@JsonProperty("from") String from, @JsonProperty("to") String to) {
        public Namespace {
            if (from == null || to == null) {
                throw new ConfigException("every promotion.namespaces entry needs from and to");
            }
        }
    }

    /**
     * The gates of promotions into the repositories matching {@code repositories}.
     *
     * @param requiredAnnotations annotation → value the source manifest must carry ({@code "*"}: any value)
     * @param requiredLabels      label → value every image's config must carry ({@code "*"}: any value)
     * @param requiredReferrers   referrers (by artifact type, with annotations) the source manifest must have
     * @param requiredSignatures  the public keys one of which must have signed the source digest, if any
     * @param requiredAttestations signed in-toto attestations about the source digest, every one required
     * @param minimumAgeSeconds   how long the source manifest must have been in its repository
     * @param sourceTags          patterns one of the source manifest's tags must match ({@code *}, {@code ?})
     * @param immutableTags       target tags never move to another digest (default true)
     * @param mutableTags         the exceptions to that (default {@code [latest]})
     */
    public record GateRuleConfig(
            @JsonProperty("repositories") String repositories,
            @JsonProperty("required-annotations") Map<String, String> requiredAnnotations,
            @JsonProperty("required-labels") Map<String, String> requiredLabels,
            @JsonProperty("required-referrers") List<ReferrerConfig> requiredReferrers,
            @JsonProperty("required-signatures") SignaturesConfig requiredSignatures,
            @JsonProperty("required-attestations") List<AttestationConfig> requiredAttestations,
            @JsonProperty("minimum-age-seconds") Long minimumAgeSeconds,
            @JsonProperty("source-tags") List<String> sourceTags,
            @JsonProperty("immutable-tags") Boolean immutableTags,
            @JsonProperty("mutable-tags") List<String> mutableTags) {

        public GateRuleConfig {
            if (repositories == null || repositories.isBlank()) {
                throw new ConfigException("every promotion.gates entry needs repositories");
            }
            requiredAnnotations = requiredAnnotations == null ? Map.of() : Map.copyOf(requiredAnnotations);
            requiredLabels = requiredLabels == null ? Map.of() : Map.copyOf(requiredLabels);
            requiredReferrers = requiredReferrers == null ? List.of() : List.copyOf(requiredReferrers);
            if (requiredAttestations != null && requiredAttestations.stream().anyMatch(java.util.Objects::isNull)) {
                throw new ConfigException("promotion.gates[].required-attestations[] must not be empty");
            }
            requiredAttestations = requiredAttestations == null ? List.of() : List.copyOf(requiredAttestations);
            if (minimumAgeSeconds != null && minimumAgeSeconds < 0) {
                throw new ConfigException("promotion.gates minimum-age-seconds must not be negative");
            }
            sourceTags = sourceTags == null ? List.of() : List.copyOf(sourceTags);
            immutableTags = immutableTags == null || immutableTags;
            mutableTags = mutableTags == null ? List.of("latest") : List.copyOf(mutableTags);
        }

        /** A rule without {@code required-attestations}, as rules were written before it existed. */
        public GateRuleConfig(String repositories, Map<String, String> requiredAnnotations, Map<String, String> requiredLabels,
                              List<ReferrerConfig> requiredReferrers, SignaturesConfig requiredSignatures,
                              Long minimumAgeSeconds, List<String> sourceTags, Boolean immutableTags, List<String> mutableTags) {
            this(repositories, requiredAnnotations, requiredLabels, requiredReferrers, requiredSignatures, null,
                    minimumAgeSeconds, sourceTags, immutableTags, mutableTags);
        }

        /** The {@code required-signatures} gate, when the rule has one. */
        public java.util.Optional<SignaturesConfig> signatureSettings() {
            return java.util.Optional.ofNullable(requiredSignatures);
        }
    }

    /** A referrer the source must have: its artifact type and annotations ({@code "*"}: any value). */
    public record ReferrerConfig(
            @JsonProperty("artifact-type") String artifactType,
            @JsonProperty("annotations") Map<String, String> annotations) {
        public ReferrerConfig {
            if (artifactType == null || artifactType.isBlank()) {
                throw new ConfigException("every required referrer needs an artifact-type");
            }
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        }
    }

    /**
     * {@code required-signatures: {keys: [/etc/berth/keys/release.pub]}}: a sigstore simple-signing
     * signature over the promoted digest by one of these public keys (PEM files) must be attached to
     * the source. A section without keys is refused rather than read as "no gate".
     *
     * @param keys        the public keys, each a file name or {@code {file: …, owner: …}}
     * @param notByPusher a signature counts only when its key's owner did not push the candidate
     *                    (every key then needs an owner)
     */
    public record SignaturesConfig(@JsonProperty("keys") List<KeyConfig> keys,
                                   @JsonProperty("not-by-pusher") Boolean notByPusher) {
        public SignaturesConfig {
            if (keys == null || keys.isEmpty()) {
                throw new ConfigException("required-signatures needs at least one key file in keys");
            }
            if (keys.stream().anyMatch(java.util.Objects::isNull)) {
                throw new ConfigException("every required-signatures or required-attestations key needs a file name");
            }
            keys = List.copyOf(keys);
            notByPusher = notByPusher != null && notByPusher;
            if (notByPusher && keys.stream().anyMatch(key -> key.owner() == null)) {
                throw new ConfigException("required-signatures with not-by-pusher needs an owner for every key");
            }
        }

        /** Keys given by file name alone, whoever pushed. */
        public static SignaturesConfig ofFiles(List<String> files) {
            return new SignaturesConfig(files.stream().map(KeyConfig::of).toList(), null);
        }
    }

    /**
     * One entry of {@code required-attestations}: a signed in-toto attestation about the promoted
     * digest, of {@code predicate-type}, by one of {@code keys}, whose predicate has every value of
     * {@code predicate}, must be attached to the source ({@code docs/promotion.md}, "Attaching a test
     * report").
     *
     * @param predicateType the statement's {@code predicateType} URI ({@code https://berth.dev/test-result/v1})
     * @param keys          the public keys, each a file name or {@code {file: …, owner: …}}
     * @param notByPusher   an attestation counts only when its key's owner did not push the candidate
     *                      (every key then needs an owner)
     * @param predicate     JSON Pointer (RFC 6901) into the predicate → the value it must have there, as
     *                      text ({@code "*"}: any non-empty value)
     */
    public record AttestationConfig(@JsonProperty("predicate-type") String predicateType,
                                    @JsonProperty("keys") List<KeyConfig> keys,
                                    @JsonProperty("not-by-pusher") Boolean notByPusher,
                                    @JsonProperty("predicate") Map<String, String> predicate) {
        private static final String PATH = "promotion.gates[].required-attestations[].";

        public AttestationConfig {
            if (predicateType == null || predicateType.isBlank()) {
                throw new ConfigException(PATH + "predicate-type is required");
            }
            if (keys == null || keys.isEmpty()) {
                throw new ConfigException(PATH + "keys needs at least one key file");
            }
            if (keys.stream().anyMatch(java.util.Objects::isNull)) {
                throw new ConfigException(PATH + "keys[].file is required");
            }
            keys = List.copyOf(keys);
            notByPusher = notByPusher != null && notByPusher;
            if (notByPusher && keys.stream().anyMatch(key -> key.owner() == null)) {
                throw new ConfigException(PATH + "not-by-pusher needs an owner for every key (keys[].owner)");
            }
            predicate = predicate == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(predicate));
            for (Map.Entry<String, String> condition : predicate.entrySet()) {
                if (!condition.getKey().startsWith("/")) {
                    throw new ConfigException(PATH + "predicate key '" + condition.getKey()
                            + "' is not a JSON Pointer: it must start with /");
                }
                try {
                    com.fasterxml.jackson.core.JsonPointer.compile(condition.getKey());
                } catch (IllegalArgumentException malformed) {
                    throw new ConfigException(PATH + "predicate key '" + condition.getKey() + "' is not a JSON Pointer: "
                            + malformed.getMessage());
                }
                if (condition.getValue() == null || condition.getValue().isEmpty()) {
                    throw new ConfigException(PATH + "predicate " + condition.getKey()
                            + " needs a value (\"*\" for any non-empty one)");
                }
            }
        }
    }

    /** A public key file, and optionally the principal who signs with it ({@code robot$osbs}, {@code releng}). */
    public record KeyConfig(@JsonProperty("file") String file, @JsonProperty("owner") String owner) {
        public KeyConfig {
            if (file == null || file.isBlank()) {
                throw new ConfigException("every required-signatures or required-attestations key needs a file name");
            }
            if (owner != null && owner.isBlank()) {
                throw new ConfigException("a required-signatures or required-attestations key owner must not be empty");
            }
        }

        /** {@code keys: [/etc/berth/keys/release.pub]}: a file name alone. */
        @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
        public static KeyConfig of(String file) {
            return new KeyConfig(file, null);
        }
    }
}
