/**
 * The rule designer's core, without JavaFX: {@link dev.thimble.ruledesigner.RuleDesign} (one
 * collection rule being edited, kept as the rule's own JSON so nothing is lost, every edit checked by
 * the runtime's compiler), {@link dev.thimble.ruledesigner.Expression} trees and the builder's
 * {@link dev.thimble.ruledesigner.ExpressionForm}, {@link dev.thimble.ruledesigner.RuleTemplate}s and
 * the {@link dev.thimble.ruledesigner.RuleLinter}; and the simulator side:
 * {@link dev.thimble.ruledesigner.Simulator} (the runtime's {@code RuleCaseRunner}, never a rule
 * evaluation of its own), {@link dev.thimble.ruledesigner.WhatIf},
 * {@link dev.thimble.ruledesigner.LogCases} and the {@link dev.thimble.ruledesigner.LiveData} of a
 * running host. Views and view-models are in {@code ui}.
 */
package dev.thimble.ruledesigner;
