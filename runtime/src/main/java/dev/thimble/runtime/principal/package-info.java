/**
 * Who is calling: {@link dev.thimble.runtime.principal.Principal}, the one user type of a request,
 * used by auth (which makes it from the stored user), functions ({@code context.user}), rules
 * ({@code %%user}) and the services and logs around them. A leaf: it depends on nothing of the runtime.
 */
package dev.thimble.runtime.principal;
