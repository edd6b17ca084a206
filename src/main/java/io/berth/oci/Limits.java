package io.berth.oci;

/**
 * Every size and length limit Berth enforces, in one place, each with the reason for its value.
 */
public final class Limits {
    private Limits() {
    }

    /**
     * Largest manifest accepted on PUT. The spec says clients and registries "SHOULD expect to be
     * able to support manifest pushes of at least 4 megabytes"; bigger pushes get 413.
     */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    /** Largest JSON body of Berth's own API ({@code /berth/v1/…}): a promotion request is a few hundred bytes. */
    public static final int MAX_API_REQUEST_BYTES = 64 * 1024;

    /**
     * Largest body of {@code PUT /berth/v1/maintenance}: {@code {"read-only": true}} is 18 bytes.
     * Only registry admins get as far as the body, yet a stalled one holds no more than this.
     */
    public static final int MAX_MAINTENANCE_REQUEST_BYTES = 1024;
    /** The longest body of a robot request ({@code POST /berth/v1/robots}): a name and a description. */
    public static final int MAX_ROBOT_REQUEST_BYTES = 4 * 1024;

    /**
     * Longest reason of an emergency override of promotion gates ({@code docs/promotion.md},
     * "Emergency override"), in characters (code points). The reason is kept in the audit trail
     * forever and repeated in a warning log line, and any caller allowed to promote may send one
     * before its permission to override is judged: a sentence or two fits, a document does not.
     */
    public static final int MAX_OVERRIDE_REASON_CHARACTERS = 1024;

    /**
     * Largest token request form ({@code POST /auth/token}): a password or refresh grant with its
     * scopes takes well under 2 KiB. Anyone may send one, so it is kept small: a connection that
     * sends part of a form and stalls makes the server hold at most this much.
     */
    public static final int MAX_TOKEN_FORM_BYTES = 8 * 1024;

    /** Most fields in a token request form. */
    public static final int MAX_TOKEN_FORM_FIELDS = 64;

    /**
     * Longest repository name. A full reference ({@code host/name}) must stay under 256 characters
     * for Docker clients, so the name alone may use at most 255.
     */
    public static final int MAX_REPOSITORY_NAME_LENGTH = 255;

    /** Longest tag, from the spec's tag grammar {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}. */
    public static final int MAX_TAG_LENGTH = 128;

    /**
     * Most {@code tag} query parameters on one manifest PUT. The draft spec asks for at least 10;
     * more than this is answered with 414.
     */
    public static final int MAX_TAGS_PER_MANIFEST_PUT = 32;

    /**
     * Largest page of tags, repositories or referrers returned at once. A larger {@code n} is
     * clamped, and a {@code Link} header points at the next page.
     */
    public static final int MAX_PAGE_SIZE = 1000;

    /** Largest request header block (431 beyond it); a registry request needs far less. */
    public static final int MAX_REQUEST_HEADER_BYTES = 16 * 1024;

    /**
     * Most request-body bytes read and dropped before an early error answer (such as 413 for an
     * oversized manifest), so that the client, still sending, receives the answer instead of a
     * reset connection. Bigger bodies get the answer and a closed connection.
     */
    public static final long MAX_DISCARDED_BODY_BYTES = 16L * 1024 * 1024;

    /** Longest accepted {@code artifactType} filter value, to keep queries bounded. */
    public static final int MAX_ARTIFACT_TYPE_LENGTH = 255;

    // --- JSON that Berth reads from clients (manifests, indexes, image configs) ----------------------
    // The 4 MiB size limit does not bound what a parser builds from those bytes: "[[[[" or a million
    // "0," expand into far more memory than they take. These limits bound the parse itself; they are
    // checked while streaming, before anything is kept (see StrictJsonReader and ManifestParser).

    /**
     * Deepest nesting of arrays and objects. The deepest real manifest nests five levels (index →
     * {@code manifests} → descriptor → {@code platform} → {@code os.features}); 32 leaves room for
     * extension fields. Bounds the parser's per-level state against a body of {@code [[[[…}
     * (Go's encoding/json stops at 10,000 levels, Jackson's default at 500).
     */
    public static final int MAX_JSON_NESTING_DEPTH = 32;

    /**
     * Most tokens (each name, value, and opening or closing bracket counts one) in one document. A
     * layer descriptor is about 8 tokens in 150 bytes, so 4 MiB of real descriptors is about 220,000
     * tokens; 200,000 admits every manifest Distribution and containerd are known to see while a body of
     * a million tiny values ({@code 0,0,0,…}) is refused after reading a tenth of it.
     */
    public static final long MAX_JSON_TOKENS = 200_000;

    /**
     * Most elements of any one array, or members of any one object, that Berth keeps: layers of an
     * image, entries of an index, annotations, URLs. Images have at most a few hundred layers (Docker
     * and containerd's overlay snapshotters stop near 128; build caches reach a few thousand);
     * multi-platform indexes list dozens. Bounds what a parse keeps in memory.
     */
    public static final int MAX_JSON_ELEMENTS = 10_000;

    /**
     * Longest number literal. An {@code int64} size has at most 20 characters; longer literals only
     * cost parsing time (arbitrary-precision conversion grows faster than linearly with length).
     */
    public static final int MAX_JSON_NUMBER_LENGTH = 100;

    /**
     * Longest object key. Manifest keys are field names and reverse-domain annotation keys of a few
     * dozen characters; the image spec suggests annotation keys stay readable.
     */
    public static final int MAX_JSON_NAME_LENGTH = 4096;

    // --- Signatures a promotion gate verifies (docs/promotion.md, "required-signatures") ---------------
    // Anyone who may push to a candidate repository may attach signature manifests to a candidate; a
    // promotion reads and verifies them. These limits bound what one promotion reads and computes.

    /**
     * Most signature manifests read for one candidate: its {@code sha256-<hex>.sig} tag and the first
     * referrers that carry simple-signing layers. Bounds the manifest reads a pusher can make every
     * promotion of the candidate do by attaching thousands of referrers. cosign and skopeo put every
     * signature of an image in the one tagged manifest.
     */
    public static final int MAX_SIGNATURE_MANIFESTS = 16;

    /**
     * Most simple-signing layers verified for one candidate, over all its signature manifests. Bounds
     * the public-key operations (and payload reads) a pusher can make a promotion do with a manifest
     * of thousands of bogus signatures; a real image carries a few.
     */
    public static final int MAX_SIGNATURE_LAYERS = 32;

    /**
     * Largest simple-signing payload read. A cosign or skopeo payload is a few hundred bytes (the
     * {@code critical} section and a few {@code optional} annotations); a payload of gigabytes would
     * otherwise be read whole into the heap to be hashed and parsed.
     */
    public static final int MAX_SIGNATURE_PAYLOAD_BYTES = 8 * 1024;

    /**
     * The most payload bytes one promotion holds while its signatures are verified: every layer read
     * at its largest. A promotion request reserves this from the body budget beside its body, so
     * promotions of candidates loaded with large bogus signatures cannot together exhaust the heap.
     */
    public static final int MAX_SIGNATURE_PAYLOAD_TOTAL_BYTES = MAX_SIGNATURE_LAYERS * MAX_SIGNATURE_PAYLOAD_BYTES;

    // A keyless signature layer carries its certificate, the certificate's chain and the transparency
    // log's bundle in annotations; each is parsed, and the chain path-validated, for every such layer.

    /**
     * Longest leaf certificate annotation ({@code dev.sigstore.cosign/certificate}), in bytes. A
     * Fulcio certificate in PEM takes about 1 KiB; longer ones, with URI identities and every
     * extension, stay well under 4 KiB. Bounds the certificate parsing a pusher can make a promotion
     * do with a layer holding megabytes of made-up certificate.
     */
    public static final int MAX_SIGNATURE_CERTIFICATE_BYTES = 8 * 1024;

    /**
     * Longest certificate chain annotation ({@code dev.sigstore.cosign/chain}), in bytes. Fulcio's
     * chain is an intermediate and a root, under 2 KiB in PEM. Bounds the certificates parsed and
     * tried as path links for one layer.
     */
    public static final int MAX_SIGNATURE_CHAIN_BYTES = 16 * 1024;

    /**
     * Longest transparency log bundle annotation ({@code dev.sigstore.cosign/bundle}), in bytes. The
     * bundle holds the Rekor entry, which holds the certificate again in base64 PEM: about 3 KiB.
     * Bounds the JSON parsed and the entry decoded for one layer.
     */
    public static final int MAX_SIGNATURE_BUNDLE_BYTES = 16 * 1024;

    // --- Attestations a promotion gate verifies (docs/promotion.md, "required-attestations") ----------
    // Anyone who may push to a candidate repository may attach attestation manifests (cosign's
    // sha256-<hex>.att tag, OCI 1.1 referrers) to a candidate; a promotion reads and verifies them.

    /**
     * Most attestation manifests read for one candidate: its {@code sha256-<hex>.att} tag and the
     * first referrers. Bounds the manifest reads a pusher can make every promotion of the candidate
     * do by attaching thousands of referrers; cosign appends every attestation of an image to the one
     * tagged manifest.
     */
    public static final int MAX_ATTESTATION_MANIFESTS = 16;

    /**
     * Most DSSE envelope layers read and verified for one candidate, over all its attestation
     * manifests. Bounds the envelope reads and public-key operations a pusher can make a promotion do
     * with a manifest of thousands of bogus attestations; an image carries a few (provenance, an SBOM,
     * a test report, one more per rerun of a pipeline that attests without {@code --replace}).
     */
    public static final int MAX_ATTESTATION_LAYERS = 16;

    /**
     * Largest DSSE envelope read. A test report's statement is a few KiB (base64 in the envelope adds
     * a third); an envelope of gigabytes would otherwise be read whole into the heap to be decoded,
     * verified and parsed. Larger attestations (an SBOM) are not read and fail with a reason naming
     * this limit.
     */
    public static final int MAX_ATTESTATION_ENVELOPE_BYTES = 64 * 1024;

    /**
     * Most signatures one DSSE envelope may carry; an envelope with more is refused unverified. Each
     * is checked against every configured key: without this bound, one 64 KiB envelope of hundreds of
     * bogus signatures would make a promotion do thousands of public-key operations. cosign writes
     * one.
     */
    public static final int MAX_ATTESTATION_SIGNATURES = 4;

    /**
     * The most envelope bytes one promotion holds while its attestations are verified: every layer read
     * at its largest (1 MiB). A promotion request reserves this from the body budget beside its body
     * and its signature payloads, so promotions of candidates loaded with large bogus attestations
     * cannot together exhaust the heap.
     */
    public static final int MAX_ATTESTATION_ENVELOPE_TOTAL_BYTES = MAX_ATTESTATION_LAYERS * MAX_ATTESTATION_ENVELOPE_BYTES;
}
