package dev.thimble.workbench.shell;

/** What the Help menu shows. */
public enum HelpTopic { SHORTCUTS, DOCS, ABOUT }
