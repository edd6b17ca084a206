package io.berth.http;

import io.berth.auth.Principal;
import io.berth.oci.RepositoryName;
import io.berth.protection.TagWriter;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who is looking at a page of the web interface: the caller the request's credentials prove, or
 * the one its session cookie proves ({@code bySession}), or nobody; empty when authentication is off.
 */
record WebVisitor(Optional<AuthGate.Caller> caller, boolean bySession) {
    boolean signedIn() {
        return caller.isPresent() && !(caller.get().principal() instanceof Principal.Anonymous);
    }

    /** The repositories the visitor may see: those it may pull; all of them without authentication. */
    Predicate<RepositoryName> mayPull(Optional<AuthGate> gate) {
        return name -> caller.isEmpty() || gate.isEmpty() || gate.get().mayPull(caller.get(), name.value());
    }

    /** Whether the visitor administers the registry; everyone does without authentication. */
    boolean isRegistryAdmin(Optional<AuthGate> gate) {
        return gate.isEmpty() || caller.map(known -> gate.get().isRegistryAdmin(known)).orElse(false);
    }

    /** Who tag protection sees when the visitor promotes. */
    TagWriter writer() {
        return signedIn() ? TagWriter.named(AuthGate.actor(caller.orElseThrow())) : TagWriter.ANONYMOUS;
    }
}
