package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.services.ServiceType;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ThirdPartyServicesTest {
    @Test
    void everyThirdPartyTypeIsServedByExactlyOneImplementation() {
        List<String> types = new ArrayList<>();
        for (ServiceType type : ThirdPartyServices.all(HttpClient.newHttpClient(), Services.CLOCK)) {
            types.addAll(type.types());
        }

        assertThat(types).containsExactlyInAnyOrder("twilio", "aws", "aws-s3", "aws-ses", "gcm", "github");
    }
}
