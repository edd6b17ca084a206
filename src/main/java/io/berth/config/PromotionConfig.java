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
     * @param requiredSignatures  the public keys or keyless identities one of which must have signed the source digest, if any
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
     * signature over the promoted digest by one of these public keys (PEM files), or by one of the
     * keyless identities, must be attached to the source. A section with neither keys nor keyless is
     * refused rather than read as "no gate".
     *
     * @param keys        the public keys, each a file name or {@code {file: …, owner: …}}
     * @param keyless     the trust root and identities of keyless (Fulcio and Rekor) signatures, if any
     * @param notByPusher a signature counts only when its key's or identity's owner did not push the
     *                    candidate (every key and identity then needs an owner)
     */
    public record SignaturesConfig(@JsonProperty("keys") List<KeyConfig> keys,
                                   @JsonProperty("keyless") KeylessConfig keyless,
                                   @JsonProperty("not-by-pusher") Boolean notByPusher) {
        public SignaturesConfig {
            if (keys != null && keys.stream().anyMatch(java.util.Objects::isNull)) {
                throw new ConfigException("every required-signatures or required-attestations key needs a file name");
            }
            keys = keys == null ? List.of() : List.copyOf(keys);
            if (keys.isEmpty() && keyless == null) {
                throw new ConfigException("required-signatures needs at least one key file in keys, or keyless");
            }
            notByPusher = notByPusher != null && notByPusher;
            if (notByPusher && keys.stream().anyMatch(key -> key.owner() == null)) {
                throw new ConfigException("required-signatures with not-by-pusher needs an owner for every key");
            }
            if (notByPusher && keyless != null && keyless.identities().stream().anyMatch(identity -> identity.owner() == null)) {
                throw new ConfigException("required-signatures with not-by-pusher needs an owner for every keyless.identities entry");
            }
        }

        /** Keys alone, no keyless identities. */
        public SignaturesConfig(List<KeyConfig> keys, Boolean notByPusher) {
            this(keys, null, notByPusher);
        }

        /** Keys given by file name alone, whoever pushed. */
        public static SignaturesConfig ofFiles(List<String> files) {
            return new SignaturesConfig(files.stream().map(KeyConfig::of).toList(), null, null);
        }

        /** The keyless trust root, when given. */
        public java.util.Optional<KeylessConfig> keylessSettings() {
            return java.util.Optional.ofNullable(keyless);
        }
    }

    /**
     * {@code required-signatures.keyless}: signatures made with a certificate a Fulcio issued to an
     * OIDC identity and recorded in a Rekor transparency log, verified offline.
     *
     * @param fulcioRoots PEM files of the CA certificates trusted as anchors (Fulcio's root; an
     *                    intermediate given here is trusted as an anchor too)
     * @param rekorKeys   PEM files of the transparency logs' public keys
     * @param identities  the OIDC identities whose signatures count, at least one
     */
    public record KeylessConfig(@JsonProperty("fulcio-roots") List<String> fulcioRoots,
                                @JsonProperty("rekor-keys") List<String> rekorKeys,
                                @JsonProperty("identities") List<IdentityConfig> identities) {
        public KeylessConfig {
            fulcioRoots = files("fulcio-roots", fulcioRoots);
            rekorKeys = files("rekor-keys", rekorKeys);
            if (identities == null || identities.isEmpty()) {
                throw new ConfigException("required-signatures.keyless.identities needs at least one identity");
            }
            if (identities.stream().anyMatch(java.util.Objects::isNull)) {
                throw new ConfigException("every required-signatures.keyless.identities entry needs an issuer and a subject");
            }
            identities = List.copyOf(identities);
        }

        private static List<String> files(String key, List<String> files) {
            if (files == null || files.isEmpty()) {
                throw new ConfigException("required-signatures.keyless." + key + " needs at least one PEM file");
            }
            if (files.stream().anyMatch(file -> file == null || file.isBlank())) {
                throw new ConfigException("required-signatures.keyless." + key + " holds an empty file name");
            }
            return List.copyOf(files);
        }
    }

    /**
     * Who may sign keylessly: the OIDC issuer in the certificate, the subject alternative name (an
     * email address or URI), both compared exactly, and optionally the principal this identity is.
     */
    public record IdentityConfig(@JsonProperty("issuer") String issuer,
                                 @JsonProperty("subject") String subject,
                                 @JsonProperty("owner") String owner) {
        public IdentityConfig {
            if (issuer == null || issuer.isBlank()) {
                throw new ConfigException("every required-signatures.keyless.identities entry needs an issuer");
            }
            if (subject == null || subject.isBlank()) {
                throw new ConfigException("every required-signatures.keyless.identities entry needs a subject");
            }
            if (owner != null && owner.isBlank()) {
                throw new ConfigException("a required-signatures.keyless.identities owner must not be empty");
            }
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
                                    @JsonProperty("keyless") KeylessConfig keyless,
                                    @JsonProperty("not-by-pusher") Boolean notByPusher,
                                    @JsonProperty("predicate") Map<String, String> predicate) {
        private static final String PATH = "promotion.gates[].required-attestations[].";

        /** Keys alone, no keyless identities. */
        public AttestationConfig(String predicateType, List<KeyConfig> keys, Boolean notByPusher, Map<String, String> predicate) {
            this(predicateType, keys, null, notByPusher, predicate);
        }

        /** The keyless trust root, when given. */
        public java.util.Optional<KeylessConfig> keylessSettings() {
            return java.util.Optional.ofNullable(keyless);
        }

        public AttestationConfig {
            if (predicateType == null || predicateType.isBlank()) {
                throw new ConfigException(PATH + "predicate-type is required");
            }
            if ((keys == null || keys.isEmpty()) && keyless == null) {
                throw new ConfigException(PATH + "keys needs at least one key file (or give keyless)");
            }
            if (keys != null && keys.stream().anyMatch(java.util.Objects::isNull)) {
                throw new ConfigException(PATH + "keys[].file is required");
            }
            keys = keys == null ? List.of() : List.copyOf(keys);
            notByPusher = notByPusher != null && notByPusher;
            if (notByPusher && keys.stream().anyMatch(key -> key.owner() == null)) {
                throw new ConfigException(PATH + "not-by-pusher needs an owner for every key (keys[].owner)");
            }
            if (notByPusher && keyless != null && keyless.identities().stream().anyMatch(identity -> identity.owner() == null)) {
                throw new ConfigException(PATH + "not-by-pusher needs an owner for every keyless.identities entry");
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
