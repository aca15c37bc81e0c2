package dev.thimble.runtime.host;

import dev.thimble.runtime.server.ClientHooks;
import dev.thimble.runtime.services.DataApiService;

/** The app's webhooks and HTTPS endpoints, with the Data API beside them under the same endpoint prefix. */
record HooksWithDataApi(ClientHooks hooks, DataApiService dataApi) implements ClientHooks {
    @Override
    public Reply webhook(String service, String webhook, Request request) {
        return hooks.webhook(service, webhook, request);
    }

    @Override
    public Reply endpoint(String route, Request request) {
        return hooks.endpoint(route, request);
    }

    @Override
    public Reply dataApi(String version, String action, Request request) {
        return dataApi.handle(version, action, request);
    }

    @Override
    public long maxBodyBytes() {
        return hooks.maxBodyBytes();
    }
}
