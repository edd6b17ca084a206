package io.berth.protection;

import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;

/** Whether tag protection lets a tag change happen, and if not, why. */
public sealed interface TagDecision {

    TagDecision ALLOWED = new Allowed();

    /** The change may happen. */
    record Allowed() implements TagDecision {
    }

    /** The change is refused; {@code reason} names the tag and the rule. */
    record Refused(String reason) implements TagDecision {
        public Refused {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a refusal needs a reason");
            }
        }
    }

    default boolean allowed() {
        return this instanceof Allowed;
    }

    /**
     * Returns when allowed.
     *
     * @throws RegistryException {@code DENIED} (403) with the reason, when refused
     */
    default void orThrow() {
        if (this instanceof Refused refused) {
            throw RegistryException.of(ErrorCode.DENIED, refused.reason());
        }
    }
}
