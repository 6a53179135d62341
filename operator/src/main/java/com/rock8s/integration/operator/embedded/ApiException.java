package com.rock8s.integration.operator.embedded;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * An API error answered as a {@code meta/v1 Status} object, the way the real API server reports
 * failures. Clients (kubectl, client-go, fabric8) classify errors by {@code reason}, so the reason
 * matters as much as the HTTP code: a 409 with reason {@code Invalid} is not a conflict to them.
 */
final class ApiException extends RuntimeException {

    private final int code;
    private final String reason;
    private final ResourcePath resource;
    private final String name;

    ApiException(int code, String reason, String message, ResourcePath resource, String name) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.resource = resource;
        this.name = name;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message, null, null);
    }

    static ApiException notFound(ResourcePath rp) {
        String what = rp.name() == null ? "the server could not find the requested resource"
                : rp.qualifiedPlural() + " \"" + rp.name() + "\" not found";
        return new ApiException(404, "NotFound", what, rp, rp.name());
    }

    static ApiException notFoundPath() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource", null, null);
    }

    static ApiException conflict(ResourcePath rp, String name) {
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + rp.qualifiedPlural() + " \""
                + name + "\": the object has been modified; please apply your changes to the latest version and try again",
                rp, name);
    }

    static ApiException alreadyExists(ResourcePath rp, String name) {
        return new ApiException(409, "AlreadyExists", rp.qualifiedPlural() + " \"" + name + "\" already exists", rp, name);
    }

    static ApiException unsupportedMediaType(String contentType, String accepted) {
        return new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                + "accepted media types include: " + accepted + " (got " + contentType + ")", null, null);
    }

    static ApiException unprocessable(String message) {
        return new ApiException(422, "Invalid", message, null, null);
    }

    int code() {
        return code;
    }

    ObjectNode toStatus() {
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", getMessage());
        status.put("reason", reason);
        if (resource != null || name != null) {
            ObjectNode details = status.putObject("details");
            if (name != null) {
                details.put("name", name);
            }
            if (resource != null) {
                if (!resource.group().isEmpty()) {
                    details.put("group", resource.group());
                }
                details.put("kind", resource.plural());
            }
        }
        status.put("code", code);
        return status;
    }

    MockResponse toResponse() {
        return new MockResponse().setResponseCode(code).setBody(toStatus().toString());
    }
}
