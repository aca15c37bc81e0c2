/**
 * Visual rule authoring and the rule simulator. The authoring model and simulator core here know
 * nothing of JavaFX; views live in {@code ui}. (Built by the rule-designer issue.)
 */
package dev.thimble.ruledesigner;
