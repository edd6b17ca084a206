package io.berth.integrity;

import io.berth.metadata.ManifestReference;
import io.berth.metadata.MetadataStore;
import io.berth.oci.Digest;
import java.util.HashSet;
import java.util.Set;

/**
 * The records against themselves, after the blob pass: manifests that point at blobs or child
 * manifests their repository does not hold intact (so they cannot be pulled), referrers whose
 * subject is absent, and recorded blobs that nothing links or references.
 */
final class ReferencePass {
    private final MetadataStore metadata;

    ReferencePass(MetadataStore metadata) {
        this.metadata = metadata;
    }

    void run(RunState state) {
        Findings findings = state.findings;
        Set<ManifestReference> reported = new HashSet<>();
        // Blobs the blob pass found absent but left linked (no repair): the manifests pointing at them.
        for (Finding finding : findings.listed()) {
            boolean absent = finding.kind() == Finding.Kind.CORRUPT_BLOB || finding.kind() == Finding.Kind.MISSING_BLOB;
            if (!absent || finding.repaired()) {
                continue;
            }
            Digest digest = Digest.parse(finding.subject());
            for (ManifestReference reference : metadata.read(session -> session.integrity().referencesTo(digest))) {
                if (reference.kind() != ManifestReference.Kind.SUBJECT && reported.add(reference)) {
                    findings.add(dangling(reference, "is " + (finding.kind() == Finding.Kind.CORRUPT_BLOB
                            ? "corrupt" : "missing") + " in the blob store"));
                }
            }
        }
        metadata.read(session -> {
            session.integrity().forEachDanglingReference(reference -> {
                if (reported.add(reference)) {
                    findings.add(dangling(reference, reference.kind() == ManifestReference.Kind.BLOB
                            ? "is not linked in the repository" : "is not in the repository"));
                }
            });
            session.integrity().forEachMissingSubject(reference -> findings.add(new Finding(
                    Finding.Kind.MISSING_SUBJECT, subject(reference), 0,
                    "refers to a subject that is not in the repository (allowed: pushed before, or without, it)", false)));
            session.integrity().forEachUnreferencedBlob(blob -> findings.add(new Finding(
                    Finding.Kind.UNREFERENCED_BLOB, blob.digest().toString(), blob.size(),
                    "is recorded, but no repository links it and no manifest references it; it only takes space", false)));
            return null;
        });
    }

    private static Finding dangling(ManifestReference reference, String why) {
        String what = reference.kind() == ManifestReference.Kind.BLOB ? "blob" : "child manifest";
        return new Finding(Finding.Kind.DANGLING_REFERENCE, subject(reference), 0,
                "manifest references " + what + " " + reference.target() + ", which " + why
                        + "; the image cannot be pulled until it is pushed again", false);
    }

    private static String subject(ManifestReference reference) {
        return reference.repository().value() + "@" + reference.manifest() + " -> " + reference.target();
    }
}
