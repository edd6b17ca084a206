package io.berth.cli;

import io.berth.server.BuildVersion;
import picocli.CommandLine;

/** {@code berth --version}: the project version and the commit the jar was built from. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[]{"berth " + BuildVersion.current().describe()};
    }
}
