/**
 * Who is calling, as each room needs to see it: functions' {@code context.user}
 * ({@code functions.FunctionUser}) and rules' {@code %%user} ({@code rules.RuleUser}), made from the
 * authenticated {@code auth.User} without JSON text in between. Above {@code auth}, {@code functions}
 * and {@code rules}, below the services and the host that call it (it was in {@code host}, which made
 * {@code host} and {@code services} a cycle).
 */
package dev.thimble.runtime.principal;
