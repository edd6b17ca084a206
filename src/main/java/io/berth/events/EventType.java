package io.berth.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of event, each with the names it travels under: the AMQP routing key
 * ({@code berth.<name>}) and the CloudEvents type ({@code dev.berth.<name>}). A webhook subscribes
 * to families ({@code push}, {@code delete}, {@code tag}, {@code promotion}, {@code mirror}).
 */
public enum EventType {
    /** A manifest was stored, with the tags pointed at it. */
    PUSH("push", "push"),
    /** A manifest (with every tag on it) or one tag was deleted. */
    DELETE("delete", "delete"),
    /** An existing tag was moved from one manifest to another. */
    TAG("tag", "tag"),
    /** A promotion was carried out, or found everything in place; possibly past failing gates by an override. */
    PROMOTION_GRANTED("promotion.granted", "promotion"),
    /** A promotion was refused by a rule or a gate. */
    PROMOTION_REFUSED("promotion.refused", "promotion"),
    /** The crawler found a mirror healthy, stale or disabled, where it was otherwise before. */
    MIRROR_STATE("mirror.state", "mirror");

    /** The prefix of every AMQP routing key. */
    public static final String ROUTING_KEY_PREFIX = "berth.";
    /** The prefix of every CloudEvents type. */
    public static final String CLOUD_EVENT_TYPE_PREFIX = "dev.berth.";

    private final String wireName;
    private final String family;

    EventType(String wireName, String family) {
        this.wireName = wireName;
        this.family = family;
    }

    /** The name in the event's body and in the outbox: {@code push}, {@code promotion.granted}, … */
    public String wireName() {
        return wireName;
    }

    /** What a webhook subscribes to: {@code promotion} covers granted and refused. */
    public String family() {
        return family;
    }

    public String routingKey() {
        return ROUTING_KEY_PREFIX + wireName;
    }

    public String cloudEventType() {
        return CLOUD_EVENT_TYPE_PREFIX + wireName;
    }

    public static Optional<EventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst();
    }
}
