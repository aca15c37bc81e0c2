package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.services.ConfiguredService;
import dev.thimble.runtime.services.ServiceRequest;
import dev.thimble.runtime.services.ServiceType;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The 2017–18 {@code aws-ses} service type: {@code send({fromAddress, toAddress, subject, body})} sends a
 * text e-mail through SES and returns {@code {messageId}}. Same config as {@code aws}.
 */
final class LegacySesService implements ServiceType {
    private final SesMail ses;

    LegacySesService(Outbound outbound, Clock clock) {
        this.ses = new SesMail(outbound, clock);
    }

    @Override
    public Set<String> types() {
        return Set.of("aws-ses");
    }

    @Override
    public BsonValue call(ConfiguredService service, ServiceRequest request) {
        Args args = Args.of(service, request);
        if (!"send".equals(request.action())) {
            throw args.error("the aws-ses service type has no action \"" + request.action() + "\"; it offers send");
        }
        List<String> to = args.texts("toAddress");
        if (to.isEmpty()) {
            throw args.error("the argument \"toAddress\" is missing; pass an e-mail address (or an array of them)");
        }
        String from = args.text("fromAddress");
        String subject = args.text("subject");
        String body = args.text("body");
        AwsAccount account = AwsAccount.of(service, request.region(), args.where());
        String messageId = ses.send(account, args.where(),
                new SesMail.Message(from, to, List.of(), List.of(), List.of(),
                        new SesMail.Part(subject, null), new SesMail.Part(body, null), null));
        return new BsonDocument("messageId", new BsonString(messageId));
    }
}
