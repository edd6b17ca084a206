package io.berth.promotion;

import java.util.Optional;

/**
 * Who made a signature that a {@link Signers} trusts.
 *
 * @param name  how verdicts name the signer: a key's name ({@code release.pub}), or a keyless
 *              identity ({@code releng@fedoraproject.org (https://accounts.fedoraproject.org), keyless})
 * @param owner the principal the key or identity was declared to be, for separation of duties
 */
public record Signer(String name, Optional<String> owner) {
    public Signer {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a signer needs a name");
        }
    }
}
