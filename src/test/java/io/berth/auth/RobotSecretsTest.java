package io.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Robot secrets are 256 random bits, kept only as a SHA-256 digest and compared against it. */
class RobotSecretsTest {

    @Test
    void aNewSecretIs256RandomBitsInUrlSafeBase64() {
        String secret = RobotSecrets.newSecret();

        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(32);
    }

    @Test
    void newSecretsDiffer() {
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            secrets.add(RobotSecrets.newSecret());
        }
        assertThat(secrets).hasSize(100);
    }

    @Test
    void theStoredHashIsTheSha256DigestOfTheSecret() {
        // sha256("abc"), FIPS 180-2 appendix B.1.
        assertThat(RobotSecrets.hash("abc"))
                .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void theHashDoesNotContainTheSecret() {
        String secret = RobotSecrets.newSecret();

        assertThat(RobotSecrets.hash(secret)).doesNotContain(secret).isEqualTo(RobotSecrets.hash(secret));
    }

    @Test
    void matchesOnlyTheSecretItWasMadeFrom() {
        String secret = RobotSecrets.newSecret();
        String stored = RobotSecrets.hash(secret);

        assertThat(RobotSecrets.matches(secret, stored)).isTrue();
        assertThat(RobotSecrets.matches(RobotSecrets.newSecret(), stored)).isFalse();
        assertThat(RobotSecrets.matches(secret + "x", stored)).isFalse();
        assertThat(RobotSecrets.matches("", stored)).isFalse();
    }

    @Test
    void aStoredValueThatIsNotAHashMatchesNothing() {
        String secret = RobotSecrets.newSecret();

        assertThat(RobotSecrets.matches(secret, secret)).isFalse();
        assertThat(RobotSecrets.matches(secret, "")).isFalse();
    }
}
