package io.gridledger.storage;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of a small record a service keeps beside the objects ({@code records/<path>}): what it must find again by
 * name rather than by content, such as which outputs a replica uploaded for a job. Unlike an object, a record can be
 * written again under the same name.
 *
 * <p>A path is 1 to 512 characters of '/'-separated segments of letters, digits and {@code . _ % -}; no segment is
 * empty, {@code .} or {@code ..}.
 *
 * <pre>{@code
 * store.putRecord(RecordName.of("results/j-1/replicas/0-1.json"), json);
 * }</pre>
 *
 * @param path the name below {@code records/}
 */
public record RecordName(String path) {

    /** The prefix of every record's object name. */
    public static final String PREFIX = "records/";
    /** The largest record: records are read whole into memory. */
    public static final int MAX_BYTES = 1024 * 1024;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._%-]+");

    public RecordName {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty() || path.length() > 512) {
            throw new IllegalArgumentException("a record path is 1 to 512 characters: \"" + path + "\"");
        }
        for (String segment : path.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("a record path is '/'-separated segments of letters, digits and "
                        + ". _ % - (no empty, '.' or '..' segment): \"" + path + "\"");
            }
        }
    }

    public static RecordName of(String path) {
        return new RecordName(path);
    }

    /** The record's object name in its bucket. */
    public String name() {
        return PREFIX + path;
    }

    @Override
    public String toString() {
        return name();
    }
}
