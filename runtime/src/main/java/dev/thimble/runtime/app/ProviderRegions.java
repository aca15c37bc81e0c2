package dev.thimble.runtime.app;

import java.util.Map;

/**
 * App Services' {@code provider_region} ({@code <cloud>-<region>}, e.g. {@code aws-eu-west-1}) and the
 * older location codes ({@code IE}) that the client API's {@code /location} route reports. A region
 * without a known code is reported as it is written, so nothing is invented.
 */
final class ProviderRegions {
    private static final Map<String, String> LOCATIONS = Map.ofEntries(
            Map.entry("aws-us-east-1", "US-VA"), Map.entry("aws-us-east-2", "US-OH"), Map.entry("aws-us-west-2", "US-OR"),
            Map.entry("aws-eu-west-1", "IE"), Map.entry("aws-eu-west-2", "GB"), Map.entry("aws-eu-west-3", "FR-PAR"),
            Map.entry("aws-eu-central-1", "DE-FF"), Map.entry("aws-ap-southeast-1", "SG"), Map.entry("aws-ap-southeast-2", "AU"),
            Map.entry("aws-ap-south-1", "IN-MB"), Map.entry("aws-sa-east-1", "BR-SP"), Map.entry("aws-ca-central-1", "CA-TOR"),
            Map.entry("aws-ap-northeast-1", "JP-TOK"), Map.entry("azure-eastus2", "US-VA"), Map.entry("azure-westus", "US-CA"),
            Map.entry("azure-westeurope", "NL"), Map.entry("gcp-us-central1", "US-IA"), Map.entry("gcp-us-east4", "US-VA"),
            Map.entry("gcp-us-west1", "US-OR"), Map.entry("gcp-europe-west1", "BE"));

    private ProviderRegions() {
    }

    static String locationOf(String providerRegion) {
        return LOCATIONS.getOrDefault(providerRegion, providerRegion);
    }
}
