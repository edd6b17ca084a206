package io.berth.auth;

import java.util.Set;

/** Who is asking: nobody in particular, a user of the htpasswd file, or a robot account. */
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

    /** A robot account for a build system; it logs in as {@code robot$NAME}. */
    record Robot(String name) implements Principal {
        public static final String USERNAME_PREFIX = "robot$";

        @Override
        public String subject() {
            return USERNAME_PREFIX + name;
        }
    }
}
