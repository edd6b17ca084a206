package io.berth.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Published token-signing keys: one public key per id, never replaced by another. */
interface SigningKeyQueriesContract extends MetadataContractFixture {

    @Test
    default void aPublishedKeyIsListedByItsId() {
        assertThat(metadata().signingKeys().publishedSigningKeys(clock().instant())).isEmpty();

        assertThat(metadata().signingKeys().publishSigningKey("node-a", "{\"kty\":\"EC\",\"x\":\"a\"}", clock().instant())).isTrue();
        assertThat(metadata().signingKeys().publishSigningKey("node-b", "{\"kty\":\"EC\",\"x\":\"b\"}", clock().instant())).isTrue();

        assertThat(metadata().signingKeys().publishedSigningKeys(clock().instant()))
                .containsExactly(java.util.Map.entry("node-a", "{\"kty\":\"EC\",\"x\":\"a\"}"),
                        java.util.Map.entry("node-b", "{\"kty\":\"EC\",\"x\":\"b\"}"));
    }

    @Test
    default void publishingTheSameKeyAgainIsAccepted() {
        metadata().signingKeys().publishSigningKey("node-a", "{\"x\":\"a\"}", clock().instant());
        clock().advance(Duration.ofDays(1));

        assertThat(metadata().signingKeys().publishSigningKey("node-a", "{\"x\":\"a\"}", clock().instant())).isTrue();
        assertThat(metadata().signingKeys().publishedSigningKeys(clock().instant())).hasSize(1);
    }

    @Test
    default void aKeyNotPublishedAgainSinceTheGivenTimeIsLeftOut() {
        metadata().signingKeys().publishSigningKey("retired", "{\"x\":\"r\"}", clock().instant());
        clock().advance(Duration.ofMinutes(10));
        metadata().signingKeys().publishSigningKey("running", "{\"x\":\"n\"}", clock().instant());

        assertThat(metadata().signingKeys().publishedSigningKeys(clock().instant().minus(Duration.ofMinutes(5))))
                .containsOnlyKeys("running");
    }

    @Test
    default void anotherKeyUnderAPublishedIdNeitherReplacesItNorIsAccepted() {
        metadata().signingKeys().publishSigningKey("node-a", "{\"x\":\"a\"}", clock().instant());

        assertThat(metadata().signingKeys().publishSigningKey("node-a", "{\"x\":\"forged\"}", clock().instant())).isFalse();
        assertThat(metadata().signingKeys().publishedSigningKeys(clock().instant())).containsEntry("node-a", "{\"x\":\"a\"}");
    }
}
