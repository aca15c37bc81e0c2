package dev.thimble.workbench.shell;

/** The workbench's colour themes (AtlantaFX Primer). */
public enum Theme { LIGHT, DARK }
