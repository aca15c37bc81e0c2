package dev.thimble.runtime.cli;

import picocli.CommandLine;

/** The version line of {@code thimble --version}, from the jar manifest when packaged. */
final class ThimbleVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {Thimble.versionLine()};
    }
}
