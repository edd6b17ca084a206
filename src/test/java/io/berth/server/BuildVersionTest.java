package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The version line: project version, commit and build day, and "unknown" for what a build outside git could not fill in. */
class BuildVersionTest {
    @Test
    void namesTheCommitAndTheDay() {
        assertThat(new BuildVersion("0.1.0", Optional.of("4ac67ef"), Optional.of("2026-12-05")).describe())
                .isEqualTo("0.1.0 (commit 4ac67ef, built 2026-12-05)");
    }

    @Test
    void placeholdersABuildOutsideGitLeftAreUnknown() {
        BuildVersion outsideGit = new BuildVersion("0.1.0-SNAPSHOT", Optional.of("${git.commit.id.abbrev}"),
                Optional.of("${git.build.time}"));

        assertThat(outsideGit.describe()).isEqualTo("0.1.0-SNAPSHOT (commit unknown)");
        assertThat(outsideGit.commit()).isEmpty();
    }

    @Test
    void thisBuildRecordedItsVersion() {
        BuildVersion current = BuildVersion.current();

        assertThat(current.version()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(current.commit()).as("built in a git checkout").hasValueSatisfying(commit -> assertThat(commit).matches("[0-9a-f]{7,40}"));
    }
}
