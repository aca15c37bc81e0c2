package dev.thimble.runtime.app;

/**
 * A function: its config ({@code functions/<name>/config.json}) and its JavaScript source.
 * Names may contain {@code /} (nested names imported from the App Services layout).
 */
public record FunctionDef(Json config, String source) {
    public String name() { return config.text("name", ""); }
    public boolean isPrivate() { return config.bool("private", false); }
    public boolean runAsSystem() { return config.bool("run_as_system", false); }
    /** The path of the source inside a Stitch-layout bundle; errors and breakpoints name it. */
    public String sourcePath() { return "functions/" + name() + "/source.js"; }
}
