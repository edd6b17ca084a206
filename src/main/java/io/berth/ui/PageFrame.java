package io.berth.ui;

import java.util.Optional;

/**
 * What every page shows around its content.
 *
 * @param registryHost    the host and port clients pull from, as the pull commands name it
 * @param version         Berth's version, for the footer
 * @param user            who is signed in, when someone is
 * @param csrfToken       what forms that change something send back, when a session cookie was sent
 * @param signInAvailable whether this registry has users to sign in as (authentication is configured)
 */
public record PageFrame(String registryHost, String version, Optional<String> user, Optional<String> csrfToken,
                        boolean signInAvailable) {
}
