package dev.thimble.runtime.app;

/** The directory formats a bundle can be in (STITCH-SPEC §0–1), detected from the root file. */
public enum Layout {
    /** {@code stitch.json}, config_version 20180301. The native format: what Thimble writes. */
    STITCH_2018("stitch.json"),
    /** {@code config.json} with config_version 20200603 (realm-cli v1); same tree as Stitch. */
    REALM_V1("config.json"),
    /** {@code realm_config.json}, config_version 20210101 (realm-cli v2). */
    REALM_V2("realm_config.json"),
    /** {@code root_config.json}, the last App Services exports. */
    APP_SERVICES("root_config.json");

    private final String rootFile;

    Layout(String rootFile) {
        this.rootFile = rootFile;
    }

    public String rootFile() {
        return rootFile;
    }
}
