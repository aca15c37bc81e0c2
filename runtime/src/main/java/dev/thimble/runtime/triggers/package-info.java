/**
 * Triggers: database triggers on the one change-event source ({@code changes}), scheduled triggers
 * on a five-field UTC cron driven by an injected {@link dev.thimble.runtime.triggers.TriggerClock},
 * and authentication triggers told by the auth service. {@link dev.thimble.runtime.triggers.TriggerService}
 * owns them for one app: each database and scheduled trigger runs on the one node that holds its lease
 * in the app's state database, where its position (or last run) is stored after every handled event,
 * so a restart, a kill -9 or another node taking over resumes after the last handled event.
 * Every run leaves a log record. See docs/decisions/0008-triggers.md.
 */
package dev.thimble.runtime.triggers;
