package com.rock8s.integration.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Server-side printing: answers a {@code meta.k8s.io/v1 Table} when the client asks for one with
 * {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io} (as {@code kubectl get} does).
 *
 * <p>Real API behaviour: custom resources get a {@code Name} column followed by the CRD version's
 * {@code additionalPrinterColumns} (or a single {@code Age} column when the CRD declares none),
 * {@code date} columns rendered as a relative age; built-in types get their own columns. Each row
 * carries the object as {@code PartialObjectMetadata} by default ({@code includeObject=Metadata}),
 * the whole object for {@code includeObject=Object} and nothing for {@code None}. This shim covers
 * the CRD rules fully and gives built-ins NAME, AGE and a few of their usual columns.
 */
final class TableConverter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME_DESCRIPTION = "Name must be unique within a namespace. "
            + "Is required when creating resources, although some resources may allow a client to request the "
            + "generation of an appropriate name automatically.";
    private static final String AGE_DESCRIPTION = "CreationTimestamp is a timestamp representing the server time "
            + "when this object was created.";

    private record Column(String name, String type, String format, String description, int priority,
            Function<JsonNode, Object> cell) {
    }

    private TableConverter() {
    }

    /** Whether an {@code Accept} header asks for a Table. */
    static boolean wantsTable(String accept) {
        return accept != null && accept.contains("as=Table");
    }

    /**
     * Converts a list or single-object body into a Table.
     *
     * @param body the JSON the mock answered (an object or a {@code List})
     * @param type the served type, {@code null} if unknown
     * @param includeObject {@code None}, {@code Metadata} (default) or {@code Object}
     * @param now the time ages are measured against
     */
    static String convert(JsonNode body, ResourceType type, String includeObject, Instant now) {
        List<JsonNode> items = new ArrayList<>();
        if (body.has("items") && body.path("items").isArray()) {
            body.path("items").forEach(items::add);
        } else {
            items.add(body);
        }
        List<Column> columns = columns(type, now);
        ObjectNode table = JSON.createObjectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        ObjectNode meta = table.putObject("metadata");
        String rv = body.path("metadata").path("resourceVersion").asText("");
        if (!rv.isEmpty()) {
            meta.put("resourceVersion", rv);
        }
        ArrayNode defs = table.putArray("columnDefinitions");
        for (Column c : columns) {
            ObjectNode d = defs.addObject();
            d.put("name", c.name());
            d.put("type", c.type());
            d.put("format", c.format());
            d.put("description", c.description());
            d.put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (JsonNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Column c : columns) {
                cells.addPOJO(c.cell().apply(item));
            }
            if ("Object".equals(includeObject)) {
                row.set("object", item);
            } else if (!"None".equals(includeObject)) {
                ObjectNode partial = row.putObject("object");
                partial.put("kind", "PartialObjectMetadata");
                partial.put("apiVersion", "meta.k8s.io/v1");
                partial.set("metadata", item.path("metadata"));
            }
        }
        return table.toString();
    }

    private static List<Column> columns(ResourceType type, Instant now) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("Name", "string", "name", NAME_DESCRIPTION, 0,
                o -> o.path("metadata").path("name").asText()));
        Column age = new Column("Age", "string", "", AGE_DESCRIPTION, 0,
                o -> age(o.path("metadata").path("creationTimestamp").asText(null), now));
        if (type != null && type.columns() != null) {
            if (type.columns().isEmpty()) {
                columns.add(age);
            }
            for (ResourceType.PrinterColumn pc : type.columns()) {
                columns.add(new Column(pc.name(), "date".equals(pc.type()) ? "string" : pc.type(), pc.format(),
                        pc.description(), pc.priority(), o -> printerCell(pc, o, now)));
            }
            return columns;
        }
        String kind = type == null ? "" : type.group() + "/" + type.kind();
        switch (kind) {
            case "/Pod" -> {
                columns.add(column("Ready", "string", o -> ready(o)));
                columns.add(column("Status", "string", o -> o.path("status").path("phase").asText("Pending")));
                columns.add(column("Restarts", "integer", o -> restarts(o)));
            }
            case "/Secret" -> {
                columns.add(column("Type", "string", o -> o.path("type").asText("Opaque")));
                columns.add(column("Data", "integer", o -> o.path("data").size()));
            }
            case "/ConfigMap" -> columns.add(column("Data", "integer",
                    o -> o.path("data").size() + o.path("binaryData").size()));
            case "/Namespace" -> columns.add(column("Status", "string",
                    o -> o.path("status").path("phase").asText("Active")));
            case "/Service" -> {
                columns.add(column("Type", "string", o -> o.path("spec").path("type").asText("ClusterIP")));
                columns.add(column("Cluster-IP", "string", o -> o.path("spec").path("clusterIP").asText("<none>")));
            }
            case "apps/Deployment", "apps/StatefulSet", "apps/ReplicaSet" -> columns.add(column("Ready", "string",
                    o -> o.path("status").path("readyReplicas").asInt(0) + "/" + o.path("spec").path("replicas").asInt(1)));
            case "batch/Job" -> columns.add(column("Completions", "string",
                    o -> o.path("status").path("succeeded").asInt(0) + "/" + o.path("spec").path("completions").asInt(1)));
            case "/Event" -> {
                columns.clear();
                columns.add(column("Last Seen", "string", o -> age(lastSeen(o), now)));
                columns.add(column("Type", "string", o -> o.path("type").asText("")));
                columns.add(column("Reason", "string", o -> o.path("reason").asText("")));
                columns.add(column("Object", "string", o -> o.path("involvedObject").path("kind").asText("").toLowerCase(
                        java.util.Locale.ROOT) + "/" + o.path("involvedObject").path("name").asText("")));
                columns.add(column("Message", "string", o -> o.path("message").asText("")));
                return columns;
            }
            default -> {
                // NAME and AGE are enough for every other type
            }
        }
        columns.add(age);
        return columns;
    }

    private static Column column(String name, String type, Function<JsonNode, Object> cell) {
        return new Column(name, type, "", "", 0, cell);
    }

    private static String lastSeen(JsonNode event) {
        for (String field : List.of("lastTimestamp", "eventTime", "firstTimestamp")) {
            String v = event.path(field).asText("");
            if (!v.isEmpty()) {
                return v;
            }
        }
        return event.path("metadata").path("creationTimestamp").asText(null);
    }

    private static String ready(JsonNode pod) {
        int total = pod.path("spec").path("containers").size();
        int ready = 0;
        for (JsonNode s : pod.path("status").path("containerStatuses")) {
            if (s.path("ready").asBoolean(false)) {
                ready++;
            }
        }
        return ready + "/" + total;
    }

    private static int restarts(JsonNode pod) {
        int sum = 0;
        for (JsonNode s : pod.path("status").path("containerStatuses")) {
            sum += s.path("restartCount").asInt(0);
        }
        return sum;
    }

    /** One CRD printer-column cell: the first value the JSONPath finds, typed like the column. */
    private static Object printerCell(ResourceType.PrinterColumn pc, JsonNode object, Instant now) {
        if (pc.path() == null) {
            return null;
        }
        List<JsonNode> found = pc.path().evaluate(object);
        if (found.isEmpty() || found.get(0).isNull()) {
            return null;
        }
        JsonNode v = found.get(0);
        return switch (pc.type()) {
            case "integer" -> v.canConvertToLong() ? v.asLong() : v.asText();
            case "number" -> v.isNumber() ? v.asDouble() : v.asText();
            case "boolean" -> v.isBoolean() ? v.asBoolean() : v.asText();
            case "date" -> age(v.asText(), now);
            default -> v.isValueNode() ? v.asText() : v.toString();
        };
    }

    private static String age(String timestamp, Instant now) {
        if (timestamp == null || timestamp.isEmpty()) {
            return "<unknown>";
        }
        try {
            return humanDuration(Duration.between(parseTime(timestamp), now));
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
    }

    private static Instant parseTime(String timestamp) {
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(timestamp, Instant::from);
        } catch (DateTimeParseException e) {
            // timestamps written without an offset are taken as UTC
            return LocalDateTime.parse(timestamp).toInstant(ZoneOffset.UTC);
        }
    }

    /**
     * Formats an age the way kubectl does: seconds up to two minutes, then minutes (with seconds
     * under ten minutes), hours (with minutes under eight hours), days (with hours under eight
     * days) and years (with days under eight years).
     */
    static String humanDuration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < -1) {
            return "<invalid>";
        }
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            return compound(minutes, "m", seconds % 60, "s");
        }
        if (minutes < 180) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            return compound(hours, "h", minutes % 60, "m");
        }
        if (hours < 48) {
            return hours + "h";
        }
        long days = hours / 24;
        if (hours < 24 * 8) {
            return compound(days, "d", hours % 24, "h");
        }
        if (days < 365 * 2) {
            return days + "d";
        }
        long years = days / 365;
        if (years < 8) {
            return compound(years, "y", days % 365, "d");
        }
        return years + "y";
    }

    /** {@code 3h20m}, or {@code 3h} when the smaller unit is zero. */
    private static String compound(long large, String largeUnit, long small, String smallUnit) {
        return small == 0 ? large + largeUnit : large + largeUnit + small + smallUnit;
    }
}
