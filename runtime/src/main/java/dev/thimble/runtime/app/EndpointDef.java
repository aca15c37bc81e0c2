package dev.thimble.runtime.app;

/** An HTTPS endpoint (an entry of {@code http_endpoints/config.json}). */
public record EndpointDef(Json config) {
    public String route() { return config.text("route", ""); }
    public String httpMethod() { return config.text("http_method", "*"); }
    public String functionName() { return config.text("function_name", ""); }
}
