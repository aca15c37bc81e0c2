package dev.thimble.ruledesigner;

/**
 * What the rules let one user do with one field of one document: receive it ({@code visible}) and
 * change it ({@code writable}: an update of just that field passes the field's write permission).
 */
public record FieldVerdict(String path, boolean visible, boolean writable) {
}
