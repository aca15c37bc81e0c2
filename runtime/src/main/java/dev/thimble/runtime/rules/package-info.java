/**
 * The rules engine: MongoDB access rules (roles, filters, schema) and the JSON expression language
 * of STITCH-SPEC §2, compiled once per app version into trees of nodes and evaluated per request,
 * per document and per field.
 *
 * <p>{@link dev.thimble.runtime.rules.DataSourceRules} picks a namespace's
 * {@link dev.thimble.runtime.rules.CollectionRules}: its own rule, the default rule, or none (denied).
 * A request builds one {@link dev.thimble.runtime.rules.RuleContext} (user, values, environment,
 * request, function caller); the collection rules then plan queries (filters), cut documents down to
 * readable fields, and judge inserts, updates and deletes (field permissions, insert/delete, schema).
 * Every answer carries a {@link dev.thimble.runtime.rules.Decision} that records why, as facts that
 * are formatted only when someone asks. Expressions on their own (service rules, function
 * {@code can_evaluate}) compile with {@link dev.thimble.runtime.rules.ExpressionCompiler}.
 *
 * <p>For the bundle validator, {@link dev.thimble.runtime.expressions.ExpressionVocabulary} lists the known
 * operators and expansions and {@link dev.thimble.runtime.expressions.ExpressionWalker} finds every
 * expression in a rule document. The compiler keeps its own table ({@code Operators}); a test checks
 * that the two agree.
 *
 * <p>No I/O happens here: the data layer runs the queries and computes the after-image of updates.
 */
package dev.thimble.runtime.rules;
