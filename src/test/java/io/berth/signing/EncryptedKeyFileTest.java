package io.berth.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * cosign's encrypted key files: what is encrypted opens with its passphrase only, damage is found,
 * and a file whose scrypt parameters would cost more than the bound is refused before any work.
 */
class EncryptedKeyFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SECRET = "a PKCS #8 key would be here".getBytes(StandardCharsets.UTF_8);

    @Test
    void whatIsEncryptedOpensWithItsPassphraseOnly() throws Exception {
        byte[] document = EncryptedKeyFile.encrypt(SECRET, "correct horse".toCharArray());

        ObjectNode root = (ObjectNode) JSON.readTree(document);
        assertThat(root.path("kdf").path("name").asText()).isEqualTo("scrypt");
        assertThat(root.path("kdf").path("params").path("N").asInt()).isEqualTo(65536);
        assertThat(root.path("cipher").path("name").asText()).isEqualTo("nacl/secretbox");
        assertThat(Base64.getDecoder().decode(root.path("cipher").path("nonce").asText())).hasSize(24);
        assertThat(Base64.getDecoder().decode(root.path("ciphertext").asText())).hasSize(SECRET.length + 16);
        assertThat(EncryptedKeyFile.decrypt(document, "correct horse".toCharArray())).isEqualTo(SECRET);
        assertThatThrownBy(() -> EncryptedKeyFile.decrypt(document, "battery staple".toCharArray()))
                .hasMessageContaining("wrong passphrase");
        assertThat(EncryptedKeyFile.decrypt(EncryptedKeyFile.encrypt(SECRET, new char[0]), new char[0]))
                .as("an empty passphrase, as COSIGN_PASSWORD= gives").isEqualTo(SECRET);
    }

    @Test
    void aDamagedCiphertextIsFound() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(EncryptedKeyFile.encrypt(SECRET, "p".toCharArray()));
        byte[] sealed = Base64.getDecoder().decode(root.path("ciphertext").asText());
        sealed[sealed.length - 1] ^= 1;
        root.put("ciphertext", Base64.getEncoder().encodeToString(sealed));

        assertThatThrownBy(() -> EncryptedKeyFile.decrypt(JSON.writeValueAsBytes(root), "p".toCharArray()))
                .hasMessageContaining("wrong passphrase for the encrypted key (or the file is damaged)");
    }

    @Test
    void costlyOrUnknownParametersAreRefusedBeforeAnyWork() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(EncryptedKeyFile.encrypt(SECRET, "p".toCharArray()));
        ((ObjectNode) root.path("kdf").path("params")).put("N", 1 << 24);
        assertThatThrownBy(() -> EncryptedKeyFile.decrypt(JSON.writeValueAsBytes(root), "p".toCharArray()))
                .hasMessageContaining("scrypt parameters are out of range");

        ((ObjectNode) root.path("kdf")).put("name", "pbkdf2");
        assertThatThrownBy(() -> EncryptedKeyFile.decrypt(JSON.writeValueAsBytes(root), "p".toCharArray()))
                .hasMessageContaining("other than scrypt and nacl/secretbox");
        assertThatThrownBy(() -> EncryptedKeyFile.decrypt("not json".getBytes(StandardCharsets.UTF_8), "p".toCharArray()))
                .hasMessageContaining("not cosign's format");
    }
}
