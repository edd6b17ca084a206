package io.berth.cli;

import io.berth.audit.AuditTrail;
import io.berth.audit.RobotAdministration;
import io.berth.auth.RobotSecrets;
import io.berth.events.EventOrigin;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.RobotRecord;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth robot create|list|revoke}: robot accounts for build systems, kept in the data
 * directory's database. The secret is printed once at creation and stored only as a hash.
 */
@Command(name = "robot", mixinStandardHelpOptions = true,
        description = "Manage robot accounts (log in as robot$NAME with the printed secret).",
        subcommands = {RobotCommand.Create.class, RobotCommand.ListRobots.class, RobotCommand.Rotate.class,
                RobotCommand.Revoke.class})
final class RobotCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a robot and print its secret once.")
    static final class Create implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        DataOptions data;

        @Mixin
        RemoteOptions remote;

        @Parameters(paramLabel = "NAME", description = "Robot name: lowercase letters, digits, '.', '_' and '-'.")
        String name;

        @Option(names = "--description", description = "What the robot is for.", defaultValue = "")
        String description;

        @Override
        public Integer call() throws java.io.IOException {
            if (!RobotAdministration.validName(name)) {
                System.err.println("berth: robot names are 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
                return ExitCodes.USAGE;
            }
            java.util.Optional<RegistryApi> api = RemoteOptions.api(spec, remote, System.in);
            if (api.isPresent()) {
                data.requireNoneGiven("--registry");
                printSecret(RegistryApi.requiredText(api.get().post("/berth/v1/robots",
                        java.util.Map.of("name", name, "description", description)), "secret"), name, "The secret is shown only now; Berth keeps only its hash.");
                return ExitCodes.OK;
            }
            String secret = RobotSecrets.newSecret();
            try (MetadataStore metadata = data.openOrCreate()) {
                RobotAdministration.Created created = administration(metadata).create(name, RobotSecrets.hash(secret),
                        description, operator());
                if (created == RobotAdministration.Created.NAME_TAKEN) {
                    System.err.println("berth: an active robot named " + name + " exists; revoke it first, or rotate its secret");
                    return ExitCodes.FAILED;
                }
            }
            printSecret(secret, name, "The secret is shown only now; Berth keeps only its hash.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List robots (never their secrets).")
    static final class ListRobots implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        DataOptions data;

        @Mixin
        RemoteOptions remote;

        @Override
        public Integer call() throws java.io.IOException {
            java.util.Optional<RegistryApi> api = RemoteOptions.api(spec, remote, System.in);
            if (api.isPresent()) {
                data.requireNoneGiven("--registry");
                System.out.printf("%-24s %-8s %-24s %s%n", "NAME", "STATE", "CREATED", "DESCRIPTION");
                for (com.fasterxml.jackson.databind.JsonNode robot : api.get().get("/berth/v1/robots", java.util.Map.of()).path("robots")) {
                    System.out.printf("%-24s %-8s %-24s %s%n", robot.path("name").asText(), robot.path("state").asText(),
                            robot.path("created").asText(), robot.path("description").asText());
                }
                return ExitCodes.OK;
            }
            List<RobotRecord> robots;
            try (MetadataStore metadata = data.open()) {
                robots = metadata.read(session -> session.robots().listRobots());
            }
            System.out.printf("%-24s %-8s %-24s %s%n", "NAME", "STATE", "CREATED", "DESCRIPTION");
            for (RobotRecord robot : robots) {
                System.out.printf("%-24s %-8s %-24s %s%n", robot.name(), robot.active() ? "active" : "revoked",
                        robot.createdAt(), robot.description());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Give a robot a new secret and print it once: the old secret and the robot's tokens stop working.")
    static final class Rotate implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        DataOptions data;

        @Mixin
        RemoteOptions remote;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws java.io.IOException {
            java.util.Optional<RegistryApi> api = RemoteOptions.api(spec, remote, System.in);
            if (api.isPresent()) {
                data.requireNoneGiven("--registry");
                requireValid(name);
                printSecret(RegistryApi.requiredText(api.get().post("/berth/v1/robots/" + name + "/secret"), "secret"), name,
                        "The secret is shown only now; the old one no longer works.");
                return ExitCodes.OK;
            }
            String secret = RobotSecrets.newSecret();
            boolean rotated;
            try (MetadataStore metadata = data.open()) {
                rotated = RobotAdministration.validName(name)
                        && administration(metadata).rotate(name, RobotSecrets.hash(secret), operator());
            }
            if (!rotated) {
                System.err.println("berth: no active robot named " + name);
                return ExitCodes.FAILED;
            }
            printSecret(secret, name, "The secret is shown only now; the old one no longer works.");
            return ExitCodes.OK;
        }
    }

    private static void printSecret(String secret, String name, String note) {
        System.out.println("user name: robot$" + name);
        System.out.println("secret:    " + secret);
        System.out.println(note);
    }

    /** A name that can be put in a path: the registry would refuse anything else anyway. */
    private static void requireValid(String name) {
        if (!RobotAdministration.validName(name)) {
            throw new IllegalArgumentException("robot names are 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
    }

    /** Robot changes made here are audited as the operator at the data directory. */
    static RobotAdministration administration(MetadataStore metadata) {
        return new RobotAdministration(metadata, new AuditTrail(Clock.systemUTC()), Clock.systemUTC());
    }

    /** The audit trail's name for whoever runs the command on the data directory: {@code cli:$USER}. */
    static EventOrigin operator() {
        return EventOrigin.actor("cli:" + System.getProperty("user.name", "unknown"));
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a robot: its logins and tokens stop working.")
    static final class Revoke implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        DataOptions data;

        @Mixin
        RemoteOptions remote;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws java.io.IOException {
            java.util.Optional<RegistryApi> api = RemoteOptions.api(spec, remote, System.in);
            if (api.isPresent()) {
                data.requireNoneGiven("--registry");
                requireValid(name);
                api.get().delete("/berth/v1/robots/" + name);
                System.out.println("revoked robot$" + name);
                return ExitCodes.OK;
            }
            boolean revoked;
            try (MetadataStore metadata = data.open()) {
                revoked = administration(metadata).revoke(name, operator());
            }
            if (!revoked) {
                System.err.println("berth: no active robot named " + name);
                return ExitCodes.FAILED;
            }
            System.out.println("revoked robot$" + name);
            return ExitCodes.OK;
        }
    }
}
