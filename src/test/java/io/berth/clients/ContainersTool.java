package io.berth.clients;

import io.berth.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * skopeo, podman or buildah, run inside a {@link ContainersSandbox}: every invocation carries the
 * global options that point the tool at the sandbox's policy and its private {@code vfs} image
 * store, so the system's {@code /var/lib/containers} is never used.
 */
public final class ContainersTool {
    /** Long enough for a multi-MiB push over loopback on a slow CI machine, short enough to fail a hung client. */
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final ExternalTool tool;
    private final List<String> globalOptions;

    private ContainersTool(String executable, ContainersSandbox sandbox, List<String> globalOptions) {
        this(executable, "install the Debian package " + executable + ".", sandbox, globalOptions);
    }

    private ContainersTool(String executable, String installHint, ContainersSandbox sandbox, List<String> globalOptions) {
        this.tool = new ExternalTool(executable, installHint, sandbox.environment(), sandbox.workingDirectory());
        this.globalOptions = List.copyOf(globalOptions);
    }

    /**
     * A skopeo built with sigstore enabled, at {@code executable} (Debian 12's is not: {@code
     * .ci/sigstore-skopeo} unpacks Debian 13's), judging images by {@code policy}.
     */
    static ContainersTool sigstoreSkopeo(Path executable, ContainersSandbox sandbox, Path policy) {
        return new ContainersTool(executable.toString(), "run .ci/sigstore-skopeo, which unpacks Debian 13's skopeo there.",
                sandbox, List.of("--policy", policy.toString()));
    }

    public static ContainersTool skopeo(ContainersSandbox sandbox) {
        return new ContainersTool("skopeo", sandbox, List.of("--policy", sandbox.policy().toString()));
    }

    static ContainersTool podman(ContainersSandbox sandbox) {
        return new ContainersTool("podman", sandbox, List.of(
                "--root", sandbox.storageRoot().toString(),
                "--runroot", sandbox.runRoot().toString(),
                "--storage-driver", "vfs",
                "--tmpdir", sandbox.temporaryDirectory().toString(),
                "--events-backend", "none",
                "--cgroup-manager", "cgroupfs"));
    }

    static ContainersTool buildah(ContainersSandbox sandbox) {
        return new ContainersTool("buildah", sandbox, List.of(
                "--root", sandbox.storageRoot().toString(),
                "--runroot", sandbox.runRoot().toString(),
                "--storage-driver", "vfs"));
    }

    /** Runs the tool with the sandbox's global options followed by {@code arguments}. */
    public ToolRun run(String... arguments) {
        List<String> all = new ArrayList<>(globalOptions);
        all.addAll(List.of(arguments));
        return tool.run(TIMEOUT, all);
    }

    /** Runs the tool and fails the test, with its transcript, unless it exits 0. */
    public ToolRun succeed(String... arguments) {
        return run(arguments).assertSucceeded();
    }

    /** A {@code docker://} transport reference to {@code repositoryAndReference} in {@code registry}. */
    static String docker(TestRegistry registry, String repositoryAndReference) {
        return "docker://" + registry.hostPort() + "/" + repositoryAndReference;
    }

    /** An {@code oci:} transport reference to {@code tag} in the layout at {@code layout}. */
    static String oci(Path layout, String tag) {
        return "oci:" + layout + ":" + tag;
    }
}
