package io.berth.cli;

import picocli.CommandLine;

/** Reports the version from the jar's manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = BerthCommand.class.getPackage().getImplementationVersion();
        return new String[]{"berth " + (version == null ? "development" : version)};
    }
}
