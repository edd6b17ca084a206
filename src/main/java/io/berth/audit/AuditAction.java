package io.berth.audit;

import io.berth.events.EventType;

/** What an audit entry records, with its name in the trail and in {@code GET /berth/v1/audit}. */
public enum AuditAction {
    PUSH("push"),
    DELETE("delete"),
    TAG("tag"),
    PROMOTION_GRANTED("promotion.granted"),
    PROMOTION_REFUSED("promotion.refused"),
    LOGIN_SUCCEEDED("login.succeeded"),
    LOGIN_FAILED("login.failed"),
    ROBOT_CREATED("robot.created"),
    ROBOT_ROTATED("robot.rotated"),
    ROBOT_REVOKED("robot.revoked");

    private final String wireName;

    AuditAction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether {@code name} is an action or a family of actions ({@code login}, {@code robot}, …). */
    public static boolean isKnown(String name) {
        for (AuditAction action : values()) {
            if (action.wireName.equals(name) || action.wireName.startsWith(name + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The action an event of {@code type} is audited as; empty for events that are not audited (mirror states). */
    static java.util.Optional<AuditAction> of(EventType type) {
        return switch (type) {
            case PUSH -> java.util.Optional.of(PUSH);
            case DELETE -> java.util.Optional.of(DELETE);
            case TAG -> java.util.Optional.of(TAG);
            case PROMOTION_GRANTED -> java.util.Optional.of(PROMOTION_GRANTED);
            case PROMOTION_REFUSED -> java.util.Optional.of(PROMOTION_REFUSED);
            case MIRROR_STATE -> java.util.Optional.empty();
        };
    }
}
