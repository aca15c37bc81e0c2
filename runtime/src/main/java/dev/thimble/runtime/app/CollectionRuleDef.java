package dev.thimble.runtime.app;

/**
 * The rule of one MongoDB collection ({@code services/<svc>/rules/<db>.<coll>.json}):
 * roles, filters and schema (STITCH-SPEC §2), plus relationships when imported.
 */
public record CollectionRuleDef(Json config) {
    public String database() { return config.text("database", ""); }
    public String collection() { return config.text("collection", ""); }
    public String namespace() { return database() + "." + collection(); }
}
