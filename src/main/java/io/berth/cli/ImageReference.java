package io.berth.cli;

import io.berth.oci.Digest;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;

/**
 * An image named as clients name it: {@code HOST[:PORT]/REPOSITORY:TAG} or {@code
 * HOST[:PORT]/REPOSITORY@DIGEST}, e.g. {@code registry.example.org/candidate/fedora/app:41.1}. As
 * for docker and podman, the first component names a registry only when it holds a dot or a port,
 * or is {@code localhost}; there is no default registry.
 *
 * @param registry   {@code host[:port]}
 * @param repository the repository there
 * @param reference  the tag or digest, as written
 */
record ImageReference(String registry, RepositoryName repository, String reference) {

    /** @throws IllegalArgumentException saying what is wrong with {@code value} */
    static ImageReference parse(String value) {
        int slash = value.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("'" + value + "' names no registry: write HOST[:PORT]/REPOSITORY:TAG");
        }
        String registry = value.substring(0, slash);
        if (!registry.contains(".") && !registry.contains(":") && !registry.equals("localhost")) {
            throw new IllegalArgumentException("'" + value + "' names no registry (its first component, '" + registry
                    + "', has no dot or port): write HOST[:PORT]/REPOSITORY:TAG");
        }
        String rest = value.substring(slash + 1);
        int at = rest.indexOf('@');
        int colon = rest.lastIndexOf(':');
        String name;
        String reference;
        try {
            if (at >= 0) {
                name = rest.substring(0, at);
                reference = Digest.parse(rest.substring(at + 1)).toString();
            } else if (colon > rest.lastIndexOf('/')) {
                name = rest.substring(0, colon);
                reference = Tag.parse(rest.substring(colon + 1)).value();
            } else {
                throw new IllegalArgumentException("'" + value + "' names no tag or digest: write HOST[:PORT]/REPOSITORY:TAG");
            }
            return new ImageReference(registry, RepositoryName.parse(name), reference);
        } catch (RegistryException e) {
            throw new IllegalArgumentException("'" + value + "': " + e.getMessage());
        }
    }

    /** The repository as clients name it: {@code host[:port]/repository}, without tag or digest. */
    String dockerReference() {
        return registry + "/" + repository;
    }

    /**
     * The image as it was named, {@code host[:port]/repository:tag} or {@code …@digest}: what a
     * signature's {@code docker-reference} says, as skopeo writes it, so that policies matching the
     * exact reference ({@code matchRepoDigestOrExact}, the default) and the repository alike accept it.
     */
    String named() {
        return dockerReference() + (reference.contains(":") ? "@" : ":") + reference;
    }
}
