package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.services.ServiceType;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;

/** Every third-party service type, ready for the service registry. */
public final class ThirdPartyServices {
    private ThirdPartyServices() {
    }

    /**
     * The {@code twilio}, {@code aws}, {@code aws-s3}, {@code aws-ses}, {@code gcm} and {@code github} types.
     *
     * @param http  the client every outbound request goes through (tests point services at loopback fakes
     *              with {@code config.base_url} instead)
     * @param clock the time AWS requests are signed with
     */
    public static List<ServiceType> all(HttpClient http, Clock clock) {
        Outbound outbound = new Outbound(http);
        List<String> aws = List.of("secretAccessKey");
        return List.of(
                new SecretScrubbing(new TwilioService(outbound), List.of("auth_token")),
                new SecretScrubbing(new AwsService(outbound, clock), aws),
                new SecretScrubbing(new LegacyS3Service(outbound, clock), aws),
                new SecretScrubbing(new LegacySesService(outbound, clock), aws),
                new SecretScrubbing(new GcmService(outbound, clock), List.of("apiKey", "serviceAccount")),
                new GitHubService());
    }
}
