package io.berth.auth;

import java.util.Set;

/**
 * Who is asking: nobody in particular, a user of the htpasswd file, a robot account, or the holder
 * of a trusted external issuer's token.
 */
public sealed interface Principal {

    /** The JWT {@code sub} for this principal; empty for anonymous, {@code robot$NAME} for robots. */
    String subject();

    /** The caller without credentials. */
    record Anonymous() implements Principal {
        @Override
        public String subject() {
            return "";
        }
    }

    /** A person from the htpasswd file, with the groups the configuration puts them in. */
    record User(String name, Set<String> groups) implements Principal {
        public User {
            groups = Set.copyOf(groups);
        }

        @Override
        public String subject() {
            return name;
        }
    }

    /**
     * A robot account for a build system; it logs in as {@code robot$NAME}.
     *
     * @param name             the robot's name
     * @param credentialsSince when the secret it proved was issued (see {@code RobotAccounts}), when
     *                         it logged in or holds a token; tokens carry it, and one whose robot
     *                         has had a new secret since speaks for nobody. Empty where a robot is
     *                         only named, as in a policy check.
     */
    record Robot(String name, java.util.Optional<java.time.Instant> credentialsSince) implements Principal {
        public static final String USERNAME_PREFIX = "robot$";

        public Robot {
            java.util.Objects.requireNonNull(credentialsSince);
        }

        /** A robot named without the credentials it proved. */
        public Robot(String name) {
            this(name, java.util.Optional.empty());
        }

        @Override
        public String subject() {
            return USERNAME_PREFIX + name;
        }
    }

    /**
     * The holder of a token signed by a trusted external issuer. Its {@code access} claim alone
     * says what it may do: no policy rule applies to it — not {@code authenticated}, and never the
     * rules of a local user or robot whose name happens to equal its {@code sub}.
     *
     * @param issuer  the token's {@code iss}
     * @param subject the token's {@code sub}, as that issuer names its callers (possibly empty)
     */
    record External(String issuer, String subject) implements Principal {
        /** How the audit trail names it: {@code SUBJECT@ISSUER}, never a bare local-looking name. */
        public String qualifiedName() {
            return (subject.isEmpty() ? "anonymous" : subject) + "@" + issuer;
        }
    }
}
