package io.gridledger.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints answers for people (aligned tables, {@code key: value} lines) or, with {@code --output json}, the API's JSON
 * as it came (pretty-printed; streams one event per line).
 */
public final class Printer {

    /** A table column: its heading and the JSON pointer of its value ({@code /spec/image}). */
    public record Column(String heading, String pointer) {
    }

    private final PrintWriter out;
    private final boolean json;

    public Printer(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    public boolean json() {
        return json;
    }

    /** The tree as pretty JSON. */
    public void json(JsonNode tree) {
        try {
            out.println(GatewayClient.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** One JSON value on one line (event streams). */
    public void jsonLine(JsonNode tree) {
        out.println(tree.toString());
        out.flush();
    }

    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /** JSON as it came, or the rows as an aligned table. */
    public void table(JsonNode answer, JsonNode rows, List<Column> columns) {
        if (json) {
            json(answer);
            return;
        }
        out.print(formatTable(rows, columns));
        out.flush();
    }

    /** JSON as it came, or each field as {@code key: value}, nested ones indented. */
    public void object(JsonNode answer) {
        if (json) {
            json(answer);
            return;
        }
        out.print(formatObject(answer, ""));
        out.flush();
    }

    /** An aligned table of {@code rows}; a missing value is {@code -}. */
    public static String formatTable(JsonNode rows, List<Column> columns) {
        var cells = new ArrayList<List<String>>();
        cells.add(columns.stream().map(Column::heading).toList());
        for (var row : rows) {
            cells.add(columns.stream().map(c -> cell(row.at(c.pointer()), c.pointer())).toList());
        }
        var widths = new int[columns.size()];
        for (var row : cells) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        var text = new StringBuilder();
        for (var row : cells) {
            var line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            text.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return text.toString();
    }

    /** {@code key: value} lines; objects indented below their key, lists of scalars joined by commas. */
    public static String formatObject(JsonNode node, String indent) {
        var text = new StringBuilder();
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            var value = field.getValue();
            if (value.isObject()) {
                text.append(indent).append(field.getKey()).append(':').append(System.lineSeparator())
                        .append(formatObject(value, indent + "  "));
            } else if (value.isArray() && value.size() > 0 && value.get(0).isContainerNode()) {
                text.append(indent).append(field.getKey()).append(':').append(System.lineSeparator());
                int i = 0;
                for (var item : value) {
                    text.append(indent).append("  [").append(i++).append(']').append(System.lineSeparator())
                            .append(item.isObject() ? formatObject(item, indent + "    ") : indent + "    " + item + System.lineSeparator());
                }
            } else {
                text.append(indent).append(field.getKey()).append(": ").append(cell(value, field.getKey()))
                        .append(System.lineSeparator());
            }
        }
        return text.toString();
    }

    /** A value as a table cell: epoch seconds under a time-like name as an ISO instant. */
    static String cell(JsonNode value, String name) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "-";
        }
        if (value.isArray()) {
            var items = new ArrayList<String>();
            value.forEach(v -> items.add(v.isValueNode() ? v.asText() : v.toString()));
            return items.isEmpty() ? "-" : String.join(",", items);
        }
        if (value.isObject()) {
            var items = new ArrayList<String>();
            value.fields().forEachRemaining(e -> items.add(e.getKey() + "=" + (e.getValue().isValueNode() ? e.getValue().asText() : e.getValue())));
            return items.isEmpty() ? "-" : String.join(",", items);
        }
        var lower = name.toLowerCase(java.util.Locale.ROOT);
        if (value.isIntegralNumber() && value.asLong() > 1_000_000_000L && value.asLong() < 10_000_000_000L
                && (lower.endsWith("at") || lower.endsWith("deadline"))) {
            return Instant.ofEpochSecond(value.asLong()).toString();
        }
        return value.asText();
    }
}
