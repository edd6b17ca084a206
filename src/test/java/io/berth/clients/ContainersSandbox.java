package io.berth.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A private configuration and storage home for the containers tools (skopeo, podman, buildah)
 * under one temporary directory, so that a test reads no system-wide registry, policy, auth or
 * storage configuration and writes no system-wide image store.
 *
 * <p>The tools find these files through their documented variables: {@code
 * CONTAINERS_REGISTRIES_CONF} (containers-registries.conf(5)), {@code REGISTRY_AUTH_FILE}
 * (containers-auth.json(5)), {@code CONTAINERS_CONF} (containers.conf(5)), {@code
 * CONTAINERS_STORAGE_CONF} (containers-storage.conf(5)), and {@code $HOME/.config/containers/policy.json}
 * (containers-policy.json(5), which takes precedence over {@code /etc/containers/policy.json}).
 * Image storage uses the {@code vfs} driver, which needs no kernel overlay support.
 */
public final class ContainersSandbox {
    private final Path root;

    private ContainersSandbox(Path root) {
        this.root = root;
    }

    /** Writes the configuration files under {@code root}. */
    public static ContainersSandbox create(Path root) {
        ContainersSandbox sandbox = new ContainersSandbox(root);
        try {
            Files.createDirectories(sandbox.home().resolve(".config").resolve("containers"));
            Files.createDirectories(sandbox.storageRoot());
            Files.createDirectories(sandbox.runRoot());
            Files.createDirectories(sandbox.temporaryDirectory());
            Files.createDirectories(sandbox.workingDirectory());
            Files.writeString(sandbox.registriesConf(), """
                    # Only fully qualified names (127.0.0.1:PORT/...) are used; no search registries.
                    unqualified-search-registries = []
                    """);
            Files.writeString(sandbox.policy(), """
                    {"default": [{"type": "insecureAcceptAnything"}]}
                    """);
            Files.copy(sandbox.policy(), sandbox.home().resolve(".config").resolve("containers").resolve("policy.json"));
            Files.writeString(sandbox.authFile(), "{\"auths\": {}}\n");
            // Pushing and pulling need no container network. Rootful netavark (podman's default
            // backend) keeps its state in a fixed /run/containers/networks; the CNI backend keeps
            // its configuration in network_config_dir, so nothing outside the sandbox is written.
            Files.writeString(sandbox.containersConf(), """
                    [engine]
                    events_logger = "none"
                    cgroup_manager = "cgroupfs"

                    [network]
                    network_backend = "cni"
                    network_config_dir = "%s"
                    """.formatted(root.resolve("networks")));
            Files.writeString(sandbox.storageConf(), """
                    [storage]
                    driver = "vfs"
                    graphroot = "%s"
                    runroot = "%s"
                    """.formatted(sandbox.storageRoot(), sandbox.runRoot()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sandbox;
    }

    /** The variables every containers tool in this sandbox runs with. */
    Map<String, String> environment() {
        return Map.of(
                "HOME", home().toString(),
                "XDG_CONFIG_HOME", home().resolve(".config").toString(),
                "CONTAINERS_REGISTRIES_CONF", registriesConf().toString(),
                "REGISTRY_AUTH_FILE", authFile().toString(),
                "CONTAINERS_CONF", containersConf().toString(),
                "CONTAINERS_STORAGE_CONF", storageConf().toString(),
                "TMPDIR", temporaryDirectory().toString());
    }

    Path policy() {
        return root.resolve("policy.json");
    }

    /** containers-storage's image and layer store ({@code --root}). */
    Path storageRoot() {
        return root.resolve("storage");
    }

    /** containers-storage's state directory ({@code --runroot}). */
    Path runRoot() {
        return root.resolve("run");
    }

    /** Scratch space for podman's {@code --tmpdir} and the tools' temporary files. */
    Path temporaryDirectory() {
        return root.resolve("tmp");
    }

    /** Where tools run and their output is captured. */
    Path workingDirectory() {
        return root.resolve("work");
    }

    private Path home() {
        return root.resolve("home");
    }

    private Path registriesConf() {
        return root.resolve("registries.conf");
    }

    private Path authFile() {
        return root.resolve("auth.json");
    }

    private Path containersConf() {
        return root.resolve("containers.conf");
    }

    private Path storageConf() {
        return root.resolve("storage.conf");
    }
}
