package io.berth.promotion;

import java.util.List;
import java.util.Optional;

/**
 * An OIDC identity whose keyless signatures count: the issuer that vouched for it, and the subject
 * alternative name (email address or URI) Fulcio put in the certificate, both compared exactly.
 *
 * @param issuer  the OIDC issuer URL ({@code https://accounts.fedoraproject.org})
 * @param subject the email address or URI ({@code releng@fedoraproject.org})
 * @param owner   the principal this identity is ({@code releng}), when declared, for
 *                {@link RequiredSignature#notByPusher()}
 */
public record KeylessIdentity(String issuer, String subject, Optional<String> owner) {
    public KeylessIdentity {
        if (issuer == null || issuer.isBlank() || subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("a keyless identity needs an issuer and a subject");
        }
        if (owner.isPresent() && owner.get().isBlank()) {
            throw new IllegalArgumentException("a keyless identity's owner must not be empty");
        }
    }

    /** Whether a certificate naming {@code subjects}, vouched for by {@code certificateIssuer}, is this identity. */
    boolean matches(List<String> subjects, String certificateIssuer) {
        return issuer.equals(certificateIssuer) && subjects.contains(subject);
    }

    /** {@code subject (issuer)}. */
    public String describe() {
        return subject + " (" + issuer + ")";
    }
}
