package dev.thimble.runtime.admin;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.apps.AppHome;
import dev.thimble.runtime.apps.EditRefusedException;
import dev.thimble.runtime.auth.LoginThrottle;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin API of a server home, under {@value #BASE}: authenticates the admin, finds the group and
 * app a path names, runs the route, and maps every failure to the {@code {error, error_code}} body.
 * A path of an app's feature Thimble does not serve (GraphQL, sync, hosting, drafts, push, …)
 * answers 501 naming it, never 404 or 500.
 */
public final class AdminApi implements HttpHandler {
    public static final String BASE = "/api/admin/v3.0";
    public static final String VERSION_PATH = "/api/private/v1.0/version";
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    private static final Pattern GROUP_PATH = Pattern.compile("^/groups/([^/]+)(?:/apps/([^/]+)(/.*)?)?(/.*)?$");

    private final AdminContext context;
    private final AdminRoutes routes = new AdminRoutes();

    AdminApi(AdminContext context) {
        this.context = context;
        AuthResource.register(routes, context);
        AppsResource.register(routes, context);
        FunctionsResource.register(routes, context);
        ValuesResource.register(routes, context);
        SecretsResource.register(routes, context);
        ProvidersResource.register(routes, context);
        ServiceCommandsResource.register(routes, context);
        ServicesResource.register(routes, context);
        UsersResource.register(routes, context);
        LogsResource.register(routes, context);
        DebugResource.register(routes, context);
        ExportResource.register(routes, context);
        TriggersResource.register(routes, context);
        CustomUserDataResource.register(routes, context);
        ApiKeysResource.register(routes, context);
        WebhooksResource.register(routes, context);
        RegistrationsResource.register(routes, context);
        SecurityResource.register(routes, context);
        ImportResource.register(routes, context);
        SyncSessionsResource.register(routes, context);
    }

    /** Serves the admin API of {@code home} on the home's port, beside its apps' client API. */
    public static AdminApi mount(AppHome home) {
        Clock clock = Clock.systemUTC();
        AdminContext context = new AdminContext(home, new AdminIdentities(home.stateFolder()),
                AdminTokens.ofStateFolder(home.stateFolder(), clock), LoginThrottle.standard(clock), new AdminAudit(clock), clock);
        AdminApi api = new AdminApi(context);
        home.mountAdmin(api);
        if (context.identities().isEmpty()) {
            LOG.info("The admin API is at {}{} and has no admin yet: create one with `thimble admin users create --home {} EMAIL`",
                    home.baseUrl(), BASE, home.home());
        }
        return api;
    }

    private static String version() {
        String v = AdminApi.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    AdminRoutes routes() {
        return routes;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        try {
            route(exchange);
        } catch (Failure error) {
            respond(exchange, error);
        } catch (EditRefusedException | IllegalArgumentException refused) {
            respond(exchange, ApiError.badRequest("InvalidRequest", refused.getMessage()));
        } catch (Exception unexpected) {
            LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), unexpected);
            respond(exchange, new ApiError(500, "InternalServerError", "The server failed to handle this request; its log has the details."));
        }
    }

    private static void respond(HttpServerExchange exchange, Failure error) {
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        AdminCall.error(exchange, error);
    }

    private void route(HttpServerExchange exchange) throws Exception {
        String full = exchange.getRequestPath();
        if (full.equals(VERSION_PATH)) {
            new AdminCall(exchange, Map.of()).ok(Map.of("backend", Map.of("git_hash", "", "version", version()),
                    "cloud", Map.of("version", version())));
            return;
        }
        if (!full.startsWith(BASE)) {
            throw ApiError.notFound("NotFound", "No route for " + exchange.getRequestMethod() + " " + full
                    + "; the admin API is under " + BASE + ".");
        }
        String path = full.substring(BASE.length());
        if (path.isEmpty() || path.equals("/")) {
            new AdminCall(exchange, Map.of()).ok(Map.of("name", "Thimble admin API", "version", "v3.0"));
            return;
        }
        Optional<AdminRoutes.Match> match = routes.match(exchange.getRequestMethod(), path);
        AdminCall call = new AdminCall(exchange, match.map(AdminRoutes.Match::params).orElse(Map.of()));
        if (match.isEmpty()) {
            unserved(call, path);
            return;
        }
        AdminRoutes.Route route = match.get().route();
        if (route.access() != AdminRoutes.Access.PUBLIC) {
            authenticate(call);
            String group = call.param("groupId");
            if (group != null) {
                requireGroup(group);
            }
        }
        if (route.access() == AdminRoutes.Access.APP) {
            call.app(AppTarget.resolve(context.home(), call.param("appId")));
        }
        route.action().handle(call);
    }

    private void authenticate(AdminCall call) {
        String adminId = context.tokens().verifyAccess(call.bearer());
        call.admin(context.identities().find(adminId).orElseThrow(() ->
                ApiError.invalidSession("invalid session: this admin was deleted; log in as another admin")));
    }

    private void requireGroup(String groupId) {
        if (!groupId.equals(context.groupId())) {
            throw ApiError.notFound("GroupNotFound", "There is no group " + groupId + " on this server; its one group is "
                    + context.groupId() + " (GET " + BASE + "/auth/profile, roles[0].group_id).");
        }
    }

    /** No route matched: 501 naming the feature for a known admin path of something Thimble does not serve, 404 otherwise. */
    private void unserved(AdminCall call, String path) {
        Matcher group = GROUP_PATH.matcher(path);
        String feature = null;
        if (group.matches()) {
            authenticate(call);
            requireGroup(group.group(1));
            if (group.group(2) != null) {
                AppTarget.resolve(context.home(), group.group(2));
                feature = group.group(3) == null ? "this operation on apps" : UnservedFeatures.describe(group.group(3));
            } else {
                feature = UnservedFeatures.describe(group.group(4) == null ? "/" : group.group(4));
            }
        } else if (path.startsWith("/provider_regions")) {
            authenticate(call);
            feature = "cloud provider regions (Thimble serves every app from this one server)";
        }
        if (feature == null) {
            throw ApiError.notFound("NotFound", "No admin API route for " + call.exchange().getRequestMethod() + " " + path + ".");
        }
        throw new ApiError(501, "NotImplemented", "Thimble does not serve " + feature + " through its admin API ("
                + call.exchange().getRequestMethod() + " " + BASE + path + ").");
    }
}
