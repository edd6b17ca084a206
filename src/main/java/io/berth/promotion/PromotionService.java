package io.berth.promotion;

import io.berth.metadata.ManifestRecord;
import io.berth.metadata.MetadataSession;
import io.berth.events.EventRecorder;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.PromotionRecord.GateOutcome;
import io.berth.metadata.PromotionRecord.Outcome;
import io.berth.metadata.ReferrerRecord;
import io.berth.metadata.StoredManifest;
import io.berth.metadata.StoredPromotion;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.Manifest;
import io.berth.oci.ManifestParser;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.protection.TagDecision;
import io.berth.protection.TagProtection;
import io.berth.protection.TagWriter;
import io.berth.storage.BlobReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Promotes a manifest from a candidate repository to a stable one inside this registry, without
 * copying bytes: in one metadata transaction it links into the target every blob and child
 * manifest the source needs (a whole multi-arch index included) and the source's referrers
 * (signatures, SBOMs, test reports) with everything they need, then points the target tags at the
 * source digest, and appends the promotion to the audit trail.
 *
 * <p>Only namespace pairs the rules map may be promoted, and every gate of the target must pass;
 * otherwise nothing changes and the refusal, with every gate's verdict, is audited on its own.
 * Promoting a digest already in place changes nothing and succeeds ({@link Outcome#UNCHANGED}).
 * A request with an emergency override ({@link PromotionRequest#override()}) is judged by every gate
 * all the same, and the verdicts are audited, but failing gate rules do not refuse it; the
 * namespaces, tag protection and the target's quotas still do ({@link PromotionPlan#refused}).
 */
public final class PromotionService {
    /** Referrers of referrers are followed this deep (a signature of an SBOM of an image is 2). */
    static final int MAX_REFERRER_DEPTH = 4;

    private final MetadataStore metadata;
    private final BlobReader blobs;
    private final ImageLabelReader imageLabels;
    private final PromotionRules rules;
    private final Clock clock;
    private final TagProtection protection;
    private final TargetQuota quota;
    private final PromotionAudit audit;

    public PromotionService(MetadataStore metadata, BlobReader blobs, PromotionRules rules, Clock clock) {
        this(metadata, blobs, rules, clock, TagProtection.NONE);
    }

    /** @param protection immutable and protected tags, judged as the gate "tag protection" on every target tag */
    public PromotionService(MetadataStore metadata, BlobReader blobs, PromotionRules rules, Clock clock,
                            TagProtection protection) {
        this(metadata, blobs, rules, clock, protection, TargetQuota.NONE);
    }

    /** @param quota the quotas on the target, judged as the gate "quota" on what a promotion adds to it */
    public PromotionService(MetadataStore metadata, BlobReader blobs, PromotionRules rules, Clock clock,
                            TagProtection protection, TargetQuota quota) {
        this(metadata, blobs, rules, clock, protection, quota, EventRecorder.NONE);
    }

    /** @param events records every audited attempt, granted or refused, in the transaction that audits it */
    public PromotionService(MetadataStore metadata, BlobReader blobs, PromotionRules rules, Clock clock,
                            TagProtection protection, TargetQuota quota, EventRecorder events) {
        this.quota = quota;
        this.metadata = metadata;
        this.blobs = blobs;
        this.imageLabels = new ImageLabelReader(blobs);
        this.rules = rules;
        this.clock = clock;
        this.protection = protection;
        this.audit = new PromotionAudit(metadata, events);
    }

    /** The audit trail, newest first. */
    public List<StoredPromotion> list(io.berth.metadata.PromotionFilter filter) {
        return metadata.read(session -> session.promotions().listPromotions(filter));
    }

    public PromotionRules rules() {
        return rules;
    }

    /**
     * Promotes, or refuses.
     *
     * @return the audited promotion ({@link Outcome#PROMOTED} or {@link Outcome#UNCHANGED})
     * @throws PromotionRefused when a rule or gate refuses; nothing changed, the refusal is audited
     * @throws io.berth.oci.RegistryException {@code MANIFEST_UNKNOWN} when the source does not exist
     */
    public StoredPromotion promote(PromotionRequest request) {
        return promote(request, TagWriter.ANONYMOUS);
    }

    /**
     * Promotes on behalf of {@code writer}, or refuses; tag protection of the target tags is judged
     * for {@code writer} as the gate {@value #TAG_PROTECTION_GATE}.
     *
     * @throws PromotionRefused when a rule or gate refuses; nothing changed, the refusal is audited
     */
    public StoredPromotion promote(PromotionRequest request, TagWriter writer) {
        Instant now = clock.instant();
        if (!rules.allows(request.source(), request.target())) {
            throw audit.refuse(request, PromotionAudit.record(request, now, Optional.empty(), request.target().value(), Map.of(),
                    List.of(namespaceRefusal(request)), Outcome.REFUSED));
        }
        Map<Digest, List<Map<String, String>>> labels = labelsBeforeTheTransaction(request);
        Map<Digest, List<SignatureLayer>> signatures = signaturesBeforeTheTransaction(request);
        Map<Digest, List<AttestationLayer>> attestations = attestationsBeforeTheTransaction(request);
        Attempt attempt = attemptUntilTagsHold(request, now, new ReadAhead(labels, signatures, attestations), writer);
        if (attempt.promotion().isEmpty()) {
            PromotionPlan plan = attempt.plan();
            throw audit.refuse(request, PromotionAudit.record(request, now, Optional.of(plan.digest()), request.target().value(),
                    plan.previous(), plan.verdicts(), Outcome.REFUSED));
        }
        return PromotionAudit.logged(attempt.promotion().get());
    }

    /**
     * The verdicts a promotion would get now, decided by the same rules and gates as
     * {@link #promote} for {@code writer}, from one read of the stores: nothing changes and nothing
     * is audited. The target's quotas are not judged here; they are judged, under their locks, in
     * the transaction of the promotion itself.
     *
     * @return the namespace verdict alone when no mapping pairs the source and the target, else every gate's
     * @throws io.berth.oci.RegistryException {@code MANIFEST_UNKNOWN} when the source does not exist
     */
    public List<GateOutcome> evaluate(PromotionRequest request, TagWriter writer) {
        if (!rules.allows(request.source(), request.target())) {
            return List.of(namespaceRefusal(request));
        }
        Instant now = clock.instant();
        return metadata.read(session -> withTagProtection(plan(session, request, now,
                tag -> session.manifestByTag(request.target(), tag).map(StoredManifest::digest), ReadAhead.NOTHING),
                request, writer)).verdicts();
    }

    /** The verdict on a source and target that no namespace mapping pairs; no override passes it. */
    private static GateOutcome namespaceRefusal(PromotionRequest request) {
        return new GateOutcome(NAMESPACES_GATE, false, "no promotion namespace maps " + request.source() + " to " + request.target());
    }

    /** The name of the verdict on whether a namespace mapping pairs the source and the target. */
    public static final String NAMESPACES_GATE = "namespaces";

    /** The name of the verdict on a caller who may not promote on the source or the target. */
    public static final String PERMISSION_GATE = "permission";

    /** The name of the verdict on a caller who asked for an emergency override it may not make. */
    public static final String OVERRIDE_GATE = "override";

    /**
     * Audits an attempt that was refused before any rule or gate was looked at, because the caller
     * may not promote on the source or the target: the request as asked, no digest (the source is
     * not resolved for a caller who may not see it), and one failed {@code permission} verdict.
     *
     * @param reason which permission was missing, for the audit trail
     */
    public StoredPromotion recordRefusedPermission(PromotionRequest request, String reason) {
        return recordRefusedBeforeTheGates(request, new GateOutcome(PERMISSION_GATE, false, reason));
    }

    /**
     * Audits an attempt with an emergency override that was refused before any rule or gate was
     * looked at, because the caller may not override gates of the target: as
     * {@link #recordRefusedPermission}, with the override's reason and one failed
     * {@value #OVERRIDE_GATE} verdict.
     *
     * @param reason why the caller may not override, for the audit trail
     */
    public StoredPromotion recordRefusedOverride(PromotionRequest request, String reason) {
        return recordRefusedBeforeTheGates(request, new GateOutcome(OVERRIDE_GATE, false, reason));
    }

    private StoredPromotion recordRefusedBeforeTheGates(PromotionRequest request, GateOutcome verdict) {
        return audit.append(request, PromotionAudit.record(request, clock.instant(), Optional.empty(), request.target().value(),
                Map.of(), List.of(verdict), Outcome.REFUSED));
    }

    /**
     * Promotes to a repository of another registry, over its API: the same namespaces and gates
     * (the target's tags as that registry has them), then every blob the plan needs that it lacks —
     * mounted from the source's name there when it has that repository, else uploaded with its
     * digest verified on both ends — then the manifests, children and subjects first, and the tags.
     * The audit trail here records it, the target named {@code host:port/repository}.
     *
     * @throws PromotionRefused when a rule or gate refuses; nothing was sent
     * The source's {@code sha256-<hex>.sig} and {@code .att} attachments (signatures, attestations) follow the tags.
     *
     * @throws RemoteRegistry.RemoteFailure when the other registry refuses something; what was sent stays there
     */
    public StoredPromotion promoteTo(RemoteRegistry remote, PromotionRequest request) {
        Instant now = clock.instant();
        if (!rules.allows(request.source(), request.target())) {
            throw audit.refuse(request, PromotionAudit.record(request, now, Optional.empty(), remote.describe(request.target()),
                    Map.of(), List.of(namespaceRefusal(request)), Outcome.REFUSED));
        }
        PromotionPlan plan = metadata.read(session -> plan(session, request, now,
                tag -> remote.manifestDigest(request.target(), tag.value()), ReadAhead.NOTHING));
        if (plan.refused(request.override())) {
            throw audit.refuse(request, PromotionAudit.record(request, now, Optional.of(plan.digest()), remote.describe(request.target()),
                    plan.previous(), plan.verdicts(), Outcome.REFUSED));
        }
        boolean changed = false;
        for (Map.Entry<Digest, Long> blob : plan.blobs().entrySet()) {
            if (!remote.hasBlob(request.target(), blob.getKey())) {
                remote.putBlob(request.target(), blob.getKey(), blob.getValue(), request.source(),
                        () -> openBlob(blob.getKey(), blob.getValue()));
                changed = true;
            }
        }
        for (ManifestRecord manifest : plan.manifests()) {
            if (remote.manifestDigest(request.target(), manifest.digest().toString()).isEmpty()) {
                remote.putManifest(request.target(), manifest.digest().toString(), manifest.mediaType(), manifest.content(),
                        manifest.digest());
                changed = true;
            }
        }
        for (Tag tag : request.tags()) {
            if (plan.previous().get(tag.value()).filter(plan.digest()::equals).isEmpty()) {
                remote.putManifest(request.target(), tag.value(), plan.root().mediaType(), plan.root().content(), plan.digest());
                changed = true;
            }
        }
        for (Tag attachmentTag : SignatureAttachments.tagsOf(plan.digest())) {
            Optional<StoredManifest> attachment = metadata.read(session -> session.manifestByTag(request.source(), attachmentTag));
            if (attachment.isPresent()) {
                changed |= SignatureAttachments.send(remote, blobs, request.source(), request.target(), attachmentTag,
                        attachment.get());
            }
        }
        return audit.append(request, PromotionAudit.record(request, now, Optional.of(plan.digest()), remote.describe(request.target()),
                plan.previous(), plan.verdicts(), changed ? Outcome.PROMOTED : Outcome.UNCHANGED));
    }

    private InputStream openBlob(Digest digest, long size) {
        try {
            return blobs.open(digest, 0, size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + digest, e);
        }
    }

    /**
     * The image labels of the source, read before the promotion's transaction when a gate needs
     * them, so that reading config blobs (perhaps from an object store) never happens while the
     * transaction holds SQLite's write lock. Keyed by the digest they were read for: should the source
     * tag move meanwhile, the transaction reads the new source's labels itself.
     */
    private Map<Digest, List<Map<String, String>>> labelsBeforeTheTransaction(PromotionRequest request) {
        if (rules.gatesFor(request.target()).stream().noneMatch(gate -> gate instanceof Gates.RequiredLabel)) {
            return Map.of();
        }
        return metadata.read(session -> {
            Optional<StoredManifest> root = findSource(session, request);
            return root.map(stored -> Map.of(stored.digest(), imageLabels.read(session, request.source(),
                    ManifestParser.parse(stored.content(), Optional.of(stored.mediaType()))))).orElse(Map.of());
        });
    }

    /**
     * The signature layers of the source, read before the promotion's transaction when a gate needs
     * them, for the same reason and keyed the same way as {@link #labelsBeforeTheTransaction}.
     */
    private Map<Digest, List<SignatureLayer>> signaturesBeforeTheTransaction(PromotionRequest request) {
        if (rules.gatesFor(request.target()).stream().noneMatch(gate -> gate instanceof RequiredSignature)) {
            return Map.of();
        }
        return metadata.read(session -> findSource(session, request).map(stored -> Map.of(stored.digest(),
                SignatureLayers.read(session, blobs, request.source(), stored.digest()))).orElse(Map.of()));
    }

    /**
     * The attestation envelopes of the source, read before the promotion's transaction when a gate
     * needs them, for the same reason and keyed the same way as {@link #labelsBeforeTheTransaction}.
     */
    private Map<Digest, List<AttestationLayer>> attestationsBeforeTheTransaction(PromotionRequest request) {
        if (rules.gatesFor(request.target()).stream().noneMatch(gate -> gate instanceof RequiredAttestation)) {
            return Map.of();
        }
        return metadata.read(session -> findSource(session, request).map(stored -> Map.of(stored.digest(),
                AttestationEnvelopes.read(session, blobs, request.source(), stored.digest()))).orElse(Map.of()));
    }

    /** What was read of the source before the transaction, by the digest it was read for. */
    private record ReadAhead(Map<Digest, List<Map<String, String>>> labels, Map<Digest, List<SignatureLayer>> signatures,
                             Map<Digest, List<AttestationLayer>> attestations) {
        static final ReadAhead NOTHING = new ReadAhead(Map.of(), Map.of(), Map.of());
    }

    /** How often a promotion is decided again when a concurrent one moved a target tag meanwhile. */
    static final int MAX_ATTEMPTS = 5;

    /** Thrown inside a transaction when a target tag no longer points where the gates saw it; rolls it back. */
    private static final class TagMovedMeanwhile extends RuntimeException {
        TagMovedMeanwhile(Tag tag) {
            super("tag " + tag + " moved while the promotion was decided", null, false, false);
        }
    }

    /**
     * Runs the promotion's transaction, again when a concurrent promotion moved a target tag between
     * the gates' look and the move (possible on PostgreSQL, where a tag that does not exist yet has no
     * row to lock): the gates then judge the tag where it is now, so an immutable tag never moves.
     */
    private Attempt attemptUntilTagsHold(PromotionRequest request, Instant now, ReadAhead readAhead, TagWriter writer) {
        for (int attempt = 1; ; attempt++) {
            try {
                return metadata.inTransaction(session -> attempt(session, request, now, readAhead, writer));
            } catch (TagMovedMeanwhile e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IllegalStateException("target tags kept moving during the promotion; try again", e);
                }
            }
        }
    }

    /** What one transaction decided: the plan, and the promotion when the gates let it happen. */
    private record Attempt(PromotionPlan plan, Optional<StoredPromotion> promotion) {
    }

    /**
     * Resolves the source, collects what it needs and checks the target's gates.
     *
     * @param currentTag what a target tag points at now (in this registry, or in another one)
     */
    private PromotionPlan plan(MetadataSession session, PromotionRequest request, Instant now,
                               java.util.function.Function<Tag, Optional<Digest>> currentTag, ReadAhead readAhead) {
        StoredManifest root = resolve(session, request);
        Digest digest = root.digest();
        Manifest manifest = ManifestParser.parse(root.content(), Optional.of(root.mediaType()));
        Closure closure = new Closure();
        closure.collect(session, request.source(), root, 0);

        Map<Tag, Optional<Digest>> targetTags = new LinkedHashMap<>();
        Map<String, Optional<Digest>> previous = new LinkedHashMap<>();
        for (Tag tag : request.tags()) {
            Optional<Digest> current = currentTag.apply(tag);
            targetTags.put(tag, current);
            previous.put(tag.value(), current);
        }
        List<String> sourceTags = new ArrayList<>();
        if (request.sourceReference() instanceof Tag named) {
            sourceTags.add(named.value());
        }
        session.tagsOf(request.source(), digest).stream().filter(tag -> !sourceTags.contains(tag)).forEach(sourceTags::add);
        PromotionCandidate candidate = new PromotionCandidate(request.source(), digest, manifest,
                session.manifestStoredAt(request.source(), digest).orElse(now), session.pusher(request.source(), digest),
                sourceTags,
                session.referrers(request.source(), digest, Optional.empty()),
                () -> readAhead.labels().containsKey(digest) ? readAhead.labels().get(digest)
                        : imageLabels.read(session, request.source(), manifest),
                () -> readAhead.signatures().containsKey(digest) ? readAhead.signatures().get(digest)
                        : SignatureLayers.read(session, blobs, request.source(), digest),
                once(() -> readAhead.attestations().containsKey(digest) ? readAhead.attestations().get(digest)
                        : AttestationEnvelopes.read(session, blobs, request.source(), digest)),
                request.target(), targetTags, now);
        List<GateOutcome> gates = new ArrayList<>();
        for (Gate gate : rules.gatesFor(request.target())) {
            gates.add(gate.check(candidate));
        }
        return new PromotionPlan(digest, root, closure.manifests, closure.blobs, previous, gates, List.of());
    }

    /** {@code read}, called at most once however many gates ask (several {@code required-attestations} share it). */
    private static <T> java.util.function.Supplier<T> once(java.util.function.Supplier<T> read) {
        List<T> memo = new ArrayList<>(1);
        return () -> {
            if (memo.isEmpty()) {
                memo.add(read.get());
            }
            return memo.getFirst();
        };
    }

    private Attempt attempt(MetadataSession session, PromotionRequest request, Instant now, ReadAhead readAhead,
                            TagWriter writer) {
        PromotionPlan plan = withQuota(session, request, withTagProtection(plan(session, request, now,
                tag -> session.manifestByTag(request.target(), tag).map(StoredManifest::digest), readAhead), request, writer));
        if (plan.refused(request.override())) {
            return new Attempt(plan, Optional.empty());
        }
        Digest digest = plan.digest();
        boolean changed = false;
        for (Digest blob : plan.blobs().keySet()) {
            if (session.linkedBlobSize(request.target(), blob).isEmpty()) {
                session.linkBlob(request.target(), blob);
                changed = true;
            }
        }
        for (ManifestRecord manifest : plan.manifests()) {
            if (!session.manifestExists(request.target(), manifest.digest())) {
                session.putManifest(request.target(), manifest);
                changed = true;
            }
        }
        for (Tag tag : request.tags()) {
            Optional<Digest> before = setTag(session, request.target(), tag, digest);
            if (!before.equals(plan.previous().get(tag.value()))) {
                throw new TagMovedMeanwhile(tag);
            }
            changed |= before.filter(digest::equals).isEmpty();
        }
        changed |= SignatureAttachments.carry(session, request.source(), request.target(), digest);
        return new Attempt(plan, Optional.of(audit.append(session, request, PromotionAudit.record(request, now,
                Optional.of(digest), request.target().value(), plan.previous(), plan.verdicts(),
                changed ? Outcome.PROMOTED : Outcome.UNCHANGED))));
    }

    /** The name of the gate that judges what a promotion adds to its target by the target's quotas. */
    public static final String QUOTA_GATE = "quota";

    /**
     * The plan with the verdict of the target's quotas on what it adds, when a quota applies; judged
     * in this transaction, which holds each quota's lock from then on.
     */
    private PromotionPlan withQuota(MetadataSession session, PromotionRequest request, PromotionPlan plan) {
        if (!quota.covers(request.target())) {
            return plan;
        }
        Map<Digest, Long> manifests = new LinkedHashMap<>();
        plan.manifests().forEach(manifest -> manifests.put(manifest.digest(), (long) manifest.content().length));
        Optional<String> refusal = quota.refusal(session, request.target(), plan.blobs(), manifests);
        return plan.withGuard(refusal.map(reason -> new GateOutcome(QUOTA_GATE, false, reason))
                .orElseGet(() -> new GateOutcome(QUOTA_GATE, true, "what it adds to " + request.target() + " fits its quotas")));
    }

    /** The name of the gate that judges target tags by tag protection. */
    public static final String TAG_PROTECTION_GATE = "tag protection";

    /**
     * The plan with the verdict of tag protection on every target tag, when it covers any; judged
     * against what the tags point at in this transaction ({@link #setTag} then holds them there).
     */
    private PromotionPlan withTagProtection(PromotionPlan plan, PromotionRequest request, TagWriter writer) {
        if (request.tags().stream().noneMatch(tag -> protection.covers(request.target(), tag.value()))) {
            return plan;
        }
        List<String> refusals = new ArrayList<>();
        for (Tag tag : request.tags()) {
            TagDecision decision = protection.decide(request.target(), tag, plan.previous().get(tag.value()),
                    Optional.of(plan.digest()), writer);
            if (decision instanceof TagDecision.Refused refused) {
                refusals.add(refused.reason());
            }
        }
        GateOutcome outcome = refusals.isEmpty()
                ? new GateOutcome(TAG_PROTECTION_GATE, true, "no immutable or protected tag is moved against its rule")
                : new GateOutcome(TAG_PROTECTION_GATE, false, String.join("; ", refusals));
        return plan.withGuard(outcome);
    }

    /**
     * Points a target tag at {@code digest} and returns where it pointed before. A protected or
     * immutable tag is first claimed (inserted when absent, else locked), so that a concurrent first
     * set shows up as a moved tag rather than being overwritten.
     */
    private Optional<Digest> setTag(MetadataSession session, RepositoryName target, Tag tag, Digest digest) {
        if (!protection.covers(target, tag.value())) {
            return session.setTag(target, tag, digest);
        }
        Optional<Digest> before = session.setTagIfAbsent(target, tag, digest);
        if (before.isPresent() && !before.get().equals(digest)) {
            session.setTag(target, tag, digest);
        }
        return before;
    }

    /** The source manifest the request names, if the source repository has it. */
    private static Optional<StoredManifest> findSource(MetadataSession session, PromotionRequest request) {
        return switch (request.sourceReference()) {
            case Tag tag -> session.manifestByTag(request.source(), tag);
            case Digest digest -> session.manifest(request.source(), digest);
        };
    }

    private static StoredManifest resolve(MetadataSession session, PromotionRequest request) {
        return findSource(session, request).orElseThrow(() -> io.berth.oci.RegistryException.of(
                io.berth.oci.ErrorCode.MANIFEST_UNKNOWN,
                "no manifest " + request.sourceReference() + " in repository " + request.source()));
    }

    /**
     * Everything a promotion links: manifests in an order where children come before the manifests
     * listing them and subjects before their referrers, and the blobs they need.
     */
    private static final class Closure {
        final List<ManifestRecord> manifests = new ArrayList<>();
        final Map<Digest, Long> blobs = new LinkedHashMap<>();
        private final Set<Digest> seen = new LinkedHashSet<>();

        void collect(MetadataSession session, RepositoryName source, StoredManifest manifest, int depth) {
            if (!seen.add(manifest.digest())) {
                return;
            }
            Manifest parsed = ManifestParser.parse(manifest.content(), Optional.of(manifest.mediaType()));
            for (Descriptor child : parsed.manifests()) {
                StoredManifest stored = session.manifest(source, child.digest()).orElseThrow(() ->
                        io.berth.oci.RegistryException.of(io.berth.oci.ErrorCode.MANIFEST_UNKNOWN, "manifest "
                                + child.digest() + " listed by " + manifest.digest() + " is no longer in " + source));
                collect(session, source, stored, depth);
            }
            parsed.requiredBlobs().forEach(blob -> blobs.putIfAbsent(blob.digest(), blob.size()));
            manifests.add(ManifestRecord.of(manifest.digest(), parsed, manifest.content()));
            if (depth < MAX_REFERRER_DEPTH) {
                for (ReferrerRecord referrer : session.referrers(source, manifest.digest(), Optional.empty())) {
                    session.manifest(source, referrer.digest())
                            .ifPresent(stored -> collect(session, source, stored, depth + 1));
                }
            }
        }
    }
}
