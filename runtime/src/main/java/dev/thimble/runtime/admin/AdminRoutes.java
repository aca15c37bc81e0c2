package dev.thimble.runtime.admin;

import io.undertow.util.HttpString;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin API's route table: a method and a path template ({@code /groups/{groupId}/apps/{appId}})
 * to an action. Templates are matched in the order added; a parameter matches one path segment.
 */
final class AdminRoutes {
    /** What a route does with a call. */
    @FunctionalInterface
    interface Action {
        void handle(AdminCall call) throws Exception;
    }

    /** How a route is guarded: public routes need no token, app routes an app of the home. */
    enum Access { PUBLIC, ADMIN, APP }

    record Route(String method, String template, Pattern pattern, List<String> names, Access access, Action action) {
    }

    record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    AdminRoutes add(String method, String template, Access access, Action action) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\\{([^}]+)}").matcher(template);
        StringBuilder regex = new StringBuilder("^");
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append("/?$");
        routes.add(new Route(method, template, Pattern.compile(regex.toString()), List.copyOf(names), access, action));
        return this;
    }

    AdminRoutes get(String template, Access access, Action action) {
        return add("GET", template, access, action);
    }

    AdminRoutes post(String template, Access access, Action action) {
        return add("POST", template, access, action);
    }

    AdminRoutes put(String template, Access access, Action action) {
        return add("PUT", template, access, action);
    }

    AdminRoutes patch(String template, Access access, Action action) {
        return add("PATCH", template, access, action);
    }

    AdminRoutes delete(String template, Access access, Action action) {
        return add("DELETE", template, access, action);
    }

    List<Route> all() {
        return List.copyOf(routes);
    }

    /** The route for this method and path (below the API's base), with its parameters decoded. */
    Optional<Match> match(HttpString method, String path) {
        for (Route route : routes) {
            if (!route.method().equals(method.toString())) {
                continue;
            }
            Matcher m = route.pattern().matcher(path);
            if (m.matches()) {
                Map<String, String> params = new HashMap<>();
                for (int i = 0; i < route.names().size(); i++) {
                    params.put(route.names().get(i), java.net.URLDecoder.decode(m.group(i + 1).replace("+", "%2B"),
                            java.nio.charset.StandardCharsets.UTF_8));
                }
                return Optional.of(new Match(route, params));
            }
        }
        return Optional.empty();
    }
}
