package dev.thimble.runtime.data;

import com.mongodb.ConnectionString;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading MongoDB connection strings without ever showing their secrets. */
final class ConnectionStrings {

    private static final String MASK = "****";
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)");
    /** Query options whose values are secrets (AWS session tokens ride in authMechanismProperties). */
    private static final Set<String> SECRET_OPTIONS = Set.of(
            "authmechanismproperties", "tlscertificatekeyfilepassword", "sslclientcertificatekeypassword");

    private ConnectionStrings() {
    }

    /** The connection string with the password and secret options replaced by {@code ****}. */
    static String redact(String uri) {
        if (uri == null) {
            return null;
        }
        Matcher scheme = SCHEME.matcher(uri);
        String prefix = scheme.find() ? scheme.group(1) : "";
        String rest = uri.substring(prefix.length());
        int queryStart = rest.indexOf('?');
        String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
        String query = queryStart < 0 ? "" : rest.substring(queryStart + 1);

        int at = beforeQuery.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = beforeQuery.substring(0, at);
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? userInfo : userInfo.substring(0, colon) + ":" + MASK;
            beforeQuery = user + beforeQuery.substring(at);
        }
        return prefix + beforeQuery + (queryStart < 0 ? "" : "?" + redactQuery(query));
    }

    private static String redactQuery(String query) {
        StringBuilder out = new StringBuilder();
        for (String option : query.split("&", -1)) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq);
            out.append(eq >= 0 && SECRET_OPTIONS.contains(key.toLowerCase(Locale.ROOT)) ? key + "=" + MASK : option);
        }
        return out.toString();
    }

    /** The hosts a parsed connection string names, as people write them: {@code a:27017,b:27017}. */
    static String hosts(ConnectionString connectionString) {
        return String.join(",", connectionString.getHosts());
    }

    /** The {@code serverSelectionTimeoutMS} the URI sets, if it parses and sets one. */
    static Optional<Duration> serverSelectionTimeout(String uri) {
        try {
            Integer millis = new ConnectionString(uri).getServerSelectionTimeout();
            return millis == null || millis <= 0 ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
