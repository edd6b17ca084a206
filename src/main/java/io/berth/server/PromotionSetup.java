package io.berth.server;

import io.berth.config.ConfigException;
import io.berth.config.PromotionConfig;
import io.berth.oci.RepositoryGlob;
import io.berth.promotion.Gate;
import io.berth.promotion.GateRule;
import io.berth.promotion.FulcioCertificate;
import io.berth.promotion.Gates;
import io.berth.promotion.KeylessIdentity;
import io.berth.promotion.KeylessTrust;
import io.berth.promotion.NamespaceMapping;
import io.berth.promotion.PromotionRules;
import io.berth.promotion.RequiredAttestation;
import io.berth.promotion.RequiredSignature;
import io.berth.promotion.Signers;
import io.berth.promotion.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** Turns the {@code promotion} section into {@link PromotionRules}. */
public final class PromotionSetup {
    private PromotionSetup() {
    }

    public static PromotionRules rules(PromotionConfig config) {
        try {
            List<NamespaceMapping> namespaces = config.namespaces().stream()
                    .map(namespace -> new NamespaceMapping(namespace.from(), namespace.to())).toList();
            List<GateRule> rules = new ArrayList<>();
            for (PromotionConfig.GateRuleConfig rule : config.gates()) {
                rules.add(new GateRule(new RepositoryGlob(rule.repositories()), gates(rule)));
            }
            return new PromotionRules(namespaces, rules);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("promotion: " + e.getMessage(), e);
        }
    }

    private static List<Gate> gates(PromotionConfig.GateRuleConfig rule) {
        List<Gate> gates = new ArrayList<>();
        rule.requiredAnnotations().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(entry -> gates.add(new Gates.RequiredAnnotation(entry.getKey(), entry.getValue())));
        rule.requiredLabels().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(entry -> gates.add(new Gates.RequiredLabel(entry.getKey(), entry.getValue())));
        for (PromotionConfig.ReferrerConfig referrer : rule.requiredReferrers()) {
            gates.add(new Gates.RequiredReferrer(referrer.artifactType(), referrer.annotations()));
        }
        rule.signatureSettings().ifPresent(signatures -> gates.add(new RequiredSignature(new Signers(
                signatures.keys().stream().map(PromotionSetup::signingKey).toList(),
                signatures.keylessSettings().map(PromotionSetup::keylessTrust)), signatures.notByPusher())));
        for (PromotionConfig.AttestationConfig attestation : rule.requiredAttestations()) {
            gates.add(new RequiredAttestation(attestation.predicateType(), new Signers(
                    attestation.keys().stream().map(PromotionSetup::signingKey).toList(),
                    attestation.keylessSettings().map(PromotionSetup::keylessTrust)), attestation.notByPusher(),
                    attestation.predicate()));
        }
        if (rule.minimumAgeSeconds() != null && rule.minimumAgeSeconds() > 0) {
            gates.add(new Gates.MinimumAge(Duration.ofSeconds(rule.minimumAgeSeconds())));
        }
        if (!rule.sourceTags().isEmpty()) {
            gates.add(new Gates.SourceTagPattern(rule.sourceTags()));
        }
        if (rule.immutableTags()) {
            gates.add(new Gates.ImmutableTags(new HashSet<>(rule.mutableTags())));
        }
        return gates;
    }

    /** The Fulcio roots and Rekor keys in the files the section names, and its identities. */
    private static KeylessTrust keylessTrust(PromotionConfig.KeylessConfig keyless) {
        List<X509Certificate> roots = new ArrayList<>();
        for (String file : keyless.fulcioRoots()) {
            try {
                roots.addAll(FulcioCertificate.parsePem(read(file, "Fulcio root")));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("promotion: Fulcio root " + file + " " + e.getMessage(), e);
            }
        }
        List<SigningKey> rekorKeys = new ArrayList<>();
        for (String file : keyless.rekorKeys()) {
            rekorKeys.add(SigningKey.fromPem(Path.of(file).getFileName().toString(), read(file, "Rekor key")));
        }
        List<KeylessIdentity> identities = keyless.identities().stream()
                .map(identity -> new KeylessIdentity(identity.issuer(), identity.subject(), Optional.ofNullable(identity.owner())))
                .toList();
        return new KeylessTrust(roots, rekorKeys, identities);
    }

    private static String read(String file, String what) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new ConfigException("promotion: cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** The public key in the PEM file the entry names, named by the file's name in verdicts, with its owner. */
    private static SigningKey signingKey(PromotionConfig.KeyConfig entry) {
        Path path = Path.of(entry.file());
        try {
            SigningKey key = SigningKey.fromPem(path.getFileName().toString(), Files.readString(path));
            return entry.owner() == null ? key : key.ownedBy(entry.owner());
        } catch (IOException e) {
            throw new ConfigException("promotion: cannot read signing key " + entry.file() + ": " + e.getMessage(), e);
        }
    }
}
