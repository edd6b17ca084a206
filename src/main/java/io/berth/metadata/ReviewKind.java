package io.berth.metadata;

/** What a garbage-collection review looks at. */
public enum ReviewKind {
    /** A blob's link into one repository. */
    LINK("link"),
    /** A blob record and its bytes, whichever repository linked it. */
    BLOB("blob"),
    /** An untagged manifest in one repository. */
    MANIFEST("manifest"),
    /** A repository that may hold nothing any more. */
    REPOSITORY("repository");

    private final String column;

    ReviewKind(String column) {
        this.column = column;
    }

    /** The value stored in {@code gc_reviews.kind}. */
    String column() {
        return column;
    }

    static ReviewKind fromColumn(String column) {
        for (ReviewKind kind : values()) {
            if (kind.column.equals(column)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("not a review kind: " + column);
    }
}
