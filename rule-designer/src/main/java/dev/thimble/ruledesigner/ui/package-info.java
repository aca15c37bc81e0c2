/**
 * The rule designer's JavaFX side, the only package of this module allowed to use JavaFX: view-models
 * ({@link dev.thimble.ruledesigner.ui.DesignerViewModel}, {@link dev.thimble.ruledesigner.ui.SimulatorViewModel},
 * tested without a window) and the thin views that lay them out
 * ({@link dev.thimble.ruledesigner.ui.DesignerView}, {@link dev.thimble.ruledesigner.ui.SimulatorView},
 * both in {@link dev.thimble.ruledesigner.ui.RuleDesignerPane} for a host).
 */
package dev.thimble.ruledesigner.ui;
