package dev.thimble.ruledesigner;

/** The document-level permissions of a role, by their JSON key. */
public enum Permission {
    READ("read"), WRITE("write"), INSERT("insert"), DELETE("delete"), SEARCH("search");

    private final String key;

    Permission(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
