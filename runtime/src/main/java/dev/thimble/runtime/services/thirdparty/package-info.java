/**
 * The third-party service types a function reaches through {@code context.services.get(name)}:
 * Twilio, AWS (S3, SES, Kinesis, Lambda, signed with Signature Version 4), the legacy {@code aws-s3}
 * and {@code aws-ses} types, GCM/FCM push and GitHub. Each speaks the outside service's own HTTP
 * protocol over {@link java.net.http.HttpClient}, against the real host unless the service's config
 * names a {@code base_url} (a proxy, a test fake).
 *
 * <p>{@link dev.thimble.runtime.services.thirdparty.ThirdPartyServices#all} hands the registry every
 * type at once; the registry checks the service rules and logs each call, so the types here only
 * build requests, read answers and turn refusals into errors a function author can act on. A secret
 * value is only ever put into a request's signature or credentials, never into an error or a result.
 *
 * <p>Incoming webhooks of Twilio and GitHub services are checked with
 * {@link dev.thimble.runtime.services.thirdparty.TwilioSignature} and
 * {@link dev.thimble.runtime.services.thirdparty.GitHubSignature}; push messages composed outside a
 * function (the admin API, the workbench) go through
 * {@link dev.thimble.runtime.services.thirdparty.PushNotifications}.
 */
package dev.thimble.runtime.services.thirdparty;
