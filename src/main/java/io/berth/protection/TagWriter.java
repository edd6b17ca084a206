package io.berth.protection;

/**
 * Who sets, moves or deletes a tag, as tag protection judges it: a plain value the edge builds from
 * the caller it authenticated, so the layers below never see an authentication type.
 */
public sealed interface TagWriter {

    /** A caller without proven identity: anyone over HTTP without authentication, or anonymous with it. */
    TagWriter ANONYMOUS = new Anonymous();

    /** An operator running {@code berth} against the data directory, without HTTP. */
    TagWriter LOCAL_OPERATOR = new LocalOperator();

    /**
     * A caller who proved to be {@code name}: {@code alice} (an htpasswd user), {@code robot$ci} (a
     * robot account), {@code SUBJECT@ISSUER} (the holder of an external issuer's token).
     */
    static TagWriter named(String name) {
        return new Named(name);
    }

    /** See {@link #named}. */
    record Named(String name) implements TagWriter {
        public Named {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a tag writer's name must not be blank");
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** See {@link #ANONYMOUS}. */
    record Anonymous() implements TagWriter {
        @Override
        public String toString() {
            return "anonymous";
        }
    }

    /** See {@link #LOCAL_OPERATOR}. */
    record LocalOperator() implements TagWriter {
        @Override
        public String toString() {
            return "the local operator";
        }
    }
}
