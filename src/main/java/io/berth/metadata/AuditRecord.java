package io.berth.metadata;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the audit trail, as stored.
 *
 * @param at               when it happened
 * @param action           what happened: {@code push}, {@code delete}, {@code tag},
 *                         {@code promotion.granted}, {@code promotion.refused}, {@code login.succeeded},
 *                         {@code login.failed}, {@code robot.created}, {@code robot.rotated}, {@code robot.revoked}
 * @param actor            who: the authenticated name, or for a failed login the name that was tried
 * @param clientAddress    from where, when the action came over the network
 * @param repository       the repository the action changed, if any (for a promotion, its target)
 * @param sourceRepository for a promotion, the repository it promoted from
 * @param detail           the rest, as a JSON object
 */
public record AuditRecord(Instant at, String action, Optional<String> actor, Optional<String> clientAddress,
                          Optional<String> repository, Optional<String> sourceRepository, String detail) {
    public AuditRecord {
        Objects.requireNonNull(at);
        Objects.requireNonNull(action);
        Objects.requireNonNull(actor);
        Objects.requireNonNull(clientAddress);
        Objects.requireNonNull(repository);
        Objects.requireNonNull(sourceRepository);
        Objects.requireNonNull(detail);
    }
}
