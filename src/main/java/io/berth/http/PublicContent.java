package io.berth.http;

import io.berth.auth.AccessController;
import io.berth.auth.Action;
import io.berth.auth.Principal;
import io.berth.oci.RepositoryName;

/**
 * Whether a repository's content is public: anyone, without credentials, may pull it. Only public
 * content may be kept by shared caches ({@code Cache-Control: public}) or sent to a mirror or the
 * CDN; everything else is answered {@code private} and served by Berth or its object store.
 *
 * <p>Visibility is a property of the repository under the access policy, never of the caller, so
 * one URL always carries the same caching headers and responses need no {@code Vary:
 * Authorization}.
 */
@FunctionalInterface
interface PublicContent {

    /** Every repository is public: a registry without authentication. */
    PublicContent EVERYTHING = name -> true;

    boolean isPublic(RepositoryName name);

    /** What {@code access}'s policy lets anonymous callers pull. */
    static PublicContent pulledAnonymouslyUnder(AccessController access) {
        Principal anonymous = new Principal.Anonymous();
        return name -> access.policy().allows(anonymous, name.value(), Action.PULL);
    }
}
