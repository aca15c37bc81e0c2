package dev.thimble.workbench.editors.code;

/** An error to point at in a code editor: a 1-based line, a 1-based column (0: the whole line), and what is wrong. */
public record Mark(int line, int column, String message) {
}
