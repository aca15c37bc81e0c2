package dev.thimble.runtime.services;

import org.bson.BsonDocument;

/**
 * One call of a function on a service.
 *
 * @param action    the action as service rules name it: {@code get}/{@code post}/… (http), {@code send}
 *                  (twilio, gcm, aws-ses), {@code put}/{@code signPolicy} (aws-s3), {@code s3:PutObject},
 *                  {@code ses:SendEmail}, … (aws: the AWS API's service prefix and action name)
 * @param arguments the argument document the function passed (what service rules see as {@code %%args})
 * @param region    the region the function selected ({@code svc.s3("us-east-1")}), or null for the
 *                  service's configured region
 */
public record ServiceRequest(String action, BsonDocument arguments, String region) {
}
