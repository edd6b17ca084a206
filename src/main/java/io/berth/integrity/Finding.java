package io.berth.integrity;

/**
 * One thing {@code berth fsck} found.
 *
 * @param kind     what is wrong, or merely worth knowing
 * @param subject  what it is about: a digest, a manifest reference ({@code repository@manifest -> target}) or a file
 * @param bytes    the bytes concerned, 0 when none are
 * @param detail   a sentence for the operator: where, why, and what to do
 * @param repaired true when {@code --repair} dealt with it
 */
public record Finding(Kind kind, String subject, long bytes, String detail, boolean repaired) {

    /** What fsck finds; a {@linkplain #problem problem} makes it exit non-zero. */
    public enum Kind {
        /** The stored bytes do not hash to the digest they are stored under. */
        CORRUPT_BLOB(true),
        /** The blob could not be read to the end (an I/O error); it may be a passing failure. */
        UNREADABLE_BLOB(true),
        /** The metadata records the blob, the store does not hold it. */
        MISSING_BLOB(true),
        /** The bytes are right, but the metadata records another size for them (clients check sizes). */
        SIZE_MISMATCH(true),
        /** A manifest points at a blob or child manifest its repository does not hold intact: it cannot be pulled. */
        DANGLING_REFERENCE(true),
        /** A mirror-tree file does not hold the bytes of the blob it is named after. */
        MIRROR_FILE_DIFFERS(true),
        /** The store holds a correct blob that no record mentions (a push cut short); space only. */
        UNRECORDED_BLOB(false),
        /** A recorded blob no repository links and no manifest references; space only, for garbage collection. */
        UNREFERENCED_BLOB(false),
        /** A referrer whose subject is not in its repository: the spec allows it. */
        MISSING_SUBJECT(false),
        /** A correct mirror-tree copy of a blob the store does not hold: the bytes to restore from. */
        MIRROR_FILE_WITHOUT_BLOB(false);

        private final boolean problem;

        Kind(boolean problem) {
            this.problem = problem;
        }

        /** True when the registry cannot serve something it claims, or serves wrong bytes. */
        public boolean problem() {
            return problem;
        }
    }
}
