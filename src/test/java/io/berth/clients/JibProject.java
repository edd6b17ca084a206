package io.berth.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code jib-app} test project, copied into a test's temporary directory and built with
 * {@code mvn compile jib:build} by the Maven running these tests ({@code berth.maven.home}, else
 * {@code mvn} on {@code PATH}), on this JVM's JDK, over the same local repository. Docker's client
 * configuration points at an empty directory, so Jib reads no credentials of the machine: only
 * {@code jib.*.auth} properties count.
 */
final class JibProject {
    /** The first run downloads the plugin and its dependencies from Maven Central. */
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

    private final Path workspace;

    JibProject(Path workspace) {
        this.workspace = workspace;
    }

    /**
     * Builds the project from image {@code from} to image {@code to}, both in the registry at
     * {@code hostPort}, with {@code extraProperties} (credentials, platforms) added.
     */
    ToolRun build(String hostPort, String from, String to, List<String> extraProperties) {
        Path project = copyProject(workspace.resolve("jib-app"));
        List<String> arguments = new ArrayList<>(List.of("-B", "-e", "-f", project.resolve("pom.xml").toString()));
        String repository = System.getProperty("berth.maven.repo.local", "");
        if (!repository.isEmpty()) {
            arguments.add("-Dmaven.repo.local=" + repository);
        }
        arguments.addAll(List.of("compile", "jib:build",
                "-Djib.allowInsecureRegistries=true",
                "-Djib.disableUpdateChecks=true",
                "-Djib.from.image=" + hostPort + "/" + from,
                "-Djib.to.image=" + hostPort + "/" + to,
                "-Djib.baseImageCache=" + workspace.resolve("jib-base-cache"),
                "-Djib.applicationCache=" + workspace.resolve("jib-application-cache")));
        arguments.addAll(extraProperties);
        return maven(project).run(BUILD_TIMEOUT, arguments);
    }

    private ExternalTool maven(Path project) {
        String mavenHome = System.getProperty("berth.maven.home", "");
        String executable = mavenHome.isEmpty() ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString();
        try {
            Path dockerConfig = Files.createDirectories(workspace.resolve("docker-config"));
            return new ExternalTool(executable, "install Maven (the Debian package maven) or run the tests through Maven.",
                    Map.of("JAVA_HOME", System.getProperty("java.home"), "DOCKER_CONFIG", dockerConfig.toString()),
                    project);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copyProject(Path target) {
        URL resource = JibProject.class.getResource("/jib-app/pom.xml");
        assertThat(resource).as("the jib-app project is on the test classpath").isNotNull();
        try {
            Path source = Path.of(resource.toURI()).getParent();
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.toList()) {
                    Path copy = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(file, copy);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
