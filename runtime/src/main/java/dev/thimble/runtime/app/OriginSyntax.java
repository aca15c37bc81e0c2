package dev.thimble.runtime.app;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The shape of an allowed request origin, {@code <scheme>://<host>[:port]}: what a browser sends in its
 * {@code Origin} header. Anything else (a path, a trailing slash, user info) would never match a browser,
 * so the bundle check and the admin API refuse it instead of letting it silently lock browsers out.
 */
public final class OriginSyntax {

    private OriginSyntax() {
    }

    public static boolean isOrigin(String text) {
        if (text.length() > 300 || !text.matches("^[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\\s]+$")) {
            return false;
        }
        try {
            URI uri = new URI(text);
            return uri.getHost() != null && uri.getRawPath().isEmpty() && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
