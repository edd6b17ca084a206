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
}
