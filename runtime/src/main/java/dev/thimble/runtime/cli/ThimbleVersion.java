package dev.thimble.runtime.cli;

import picocli.CommandLine;

/** The version line of {@code thimble --version}, from the jar manifest when packaged. */
final class ThimbleVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Thimble.class.getPackage().getImplementationVersion();
        return new String[] {"thimble " + (version == null ? "development build" : version)
                + " (Java " + Runtime.version() + ")"};
    }
}
