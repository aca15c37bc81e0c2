/**
 * Access rules: the JSON expression language of STITCH-SPEC §2C and the rule documents that use it.
 * {@link dev.thimble.runtime.rules.ExpressionVocabulary} says which operators and expansions exist;
 * {@link dev.thimble.runtime.rules.ExpressionWalker} finds every expression in a rule document and
 * visits what is inside one. The bundle validator uses both to report mistakes before an app runs;
 * the rules engine uses the same vocabulary, so the two can never disagree about what is known.
 */
package dev.thimble.runtime.rules;
