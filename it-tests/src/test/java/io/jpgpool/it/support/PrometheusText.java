package io.jpgpool.it.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text exposition format 0.0.4, as Prometheus itself checks it: every line is a
 * {@code # HELP}, a {@code # TYPE}, another comment or a sample; names and label names follow the format's
 * grammar, label values are quoted with {@code \\}, {@code \"} and {@code \n} as the only escapes, values are Go
 * floats; a family's TYPE comes once and before its samples, its samples are contiguous, no series appears twice;
 * histograms have {@code le} buckets that grow and end with {@code +Inf} equal to {@code _count}. Any breach is an
 * {@link IllegalArgumentException} naming the line.
 */
public final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|Inf|inf|NaN)");
    private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One series: a sample's name and its labels (sorted). */
    public record Series(String name, Map<String, String> labels) {
        public String label(String name) {
            return labels.get(name);
        }
    }

    private final Map<Series, Double> samples = new LinkedHashMap<>();
    private final Map<String, String> types = new HashMap<>();

    private PrometheusText() {
    }

    /** Reads a whole scrape; throws at the first line that breaks the format. */
    public static PrometheusText parse(String text) {
        PrometheusText t = new PrometheusText();
        t.read(text);
        return t;
    }

    private void read(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a line feed");
        }
        Set<String> helped = new HashSet<>();
        Set<String> finished = new HashSet<>();
        String current = null;
        int no = 0;
        for (String line : text.split("\n", -1)) {
            no++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.startsWith("#")) {
                    String[] parts = line.split(" ", 4);
                    if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                        String family = parts[2];
                        name(family, METRIC_NAME);
                        current = enter(family, current, finished);
                        if (parts[1].equals("HELP")) {
                            if (!helped.add(family)) {
                                throw new IllegalArgumentException("second HELP for " + family);
                            }
                            unescapeHelp(parts.length == 4 ? parts[3] : "");
                        } else {
                            String type = parts.length == 4 ? parts[3] : "";
                            if (!TYPES.contains(type)) {
                                throw new IllegalArgumentException("unknown type " + type);
                            }
                            if (types.put(family, type) != null) {
                                throw new IllegalArgumentException("second TYPE for " + family);
                            }
                            if (samples.keySet().stream().anyMatch(s -> familyOf(s.name()).equals(family))) {
                                throw new IllegalArgumentException("TYPE of " + family + " after its samples");
                            }
                        }
                    }
                    continue; // any other comment
                }
                Series s = sample(line);
                current = enter(familyOf(s.name()), current, finished);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + no + " \"" + line + "\": " + e.getMessage(), e);
            }
        }
        checkHistograms();
    }

    /** A line of {@code family}: the one of the lines before, or a family not seen yet (they are contiguous). */
    private static String enter(String family, String current, Set<String> finished) {
        if (family.equals(current)) {
            return current;
        }
        if (finished.contains(family)) {
            throw new IllegalArgumentException("family " + family + " is not contiguous");
        }
        if (current != null) {
            finished.add(current);
        }
        return family;
    }

    /** The family a sample belongs to: histogram and summary samples carry a suffix. */
    private String familyOf(String sample) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
                    return base;
                }
            }
        }
        return sample;
    }

    private Series sample(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = name(line.substring(0, i), METRIC_NAME);
        Map<String, String> labels = new TreeMap<>();
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i < n && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new IllegalArgumentException("label without '='");
                }
                String label = name(line.substring(i, eq), LABEL_NAME);
                if (label.startsWith("__")) {
                    throw new IllegalArgumentException("reserved label name " + label);
                }
                i = eq + 1;
                if (i >= n || line.charAt(i) != '"') {
                    throw new IllegalArgumentException("label value of " + label + " is not quoted");
                }
                i++;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("unterminated label value of " + label);
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        char e = i < n ? line.charAt(i++) : ' ';
                        switch (e) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new IllegalArgumentException("bad escape \\" + e + " in " + label);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException("label " + label + " twice");
                }
                if (i < n && line.charAt(i) == ',') {
                    i++;
                } else if (i >= n || line.charAt(i) != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' after label " + label);
                }
            }
        }
        if (i >= n || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("no value");
        }
        String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length > 2 || !FLOAT.matcher(rest[0]).matches()
                || (rest.length == 2 && !TIMESTAMP.matcher(rest[1]).matches())) {
            throw new IllegalArgumentException("bad value or timestamp \"" + line.substring(i + 1) + "\"");
        }
        Series s = new Series(name, Collections.unmodifiableMap(labels));
        if (samples.put(s, value(rest[0])) != null) {
            throw new IllegalArgumentException("series " + s + " twice");
        }
        return s;
    }

    private static double value(String v) {
        return switch (v.replace("+", "")) {
            case "Inf", "inf" -> Double.POSITIVE_INFINITY;
            case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    private static String name(String s, Pattern grammar) {
        if (!grammar.matcher(s).matches()) {
            throw new IllegalArgumentException("invalid name \"" + s + "\"");
        }
        return s;
    }

    private static void unescapeHelp(String help) {
        for (int i = 0; i < help.length(); i++) {
            if (help.charAt(i) == '\\') {
                char e = i + 1 < help.length() ? help.charAt(++i) : ' ';
                if (e != '\\' && e != 'n') {
                    throw new IllegalArgumentException("bad escape \\" + e + " in HELP");
                }
            }
        }
    }

    /** Buckets grow with {@code le} and the {@code +Inf} one equals {@code _count}, per label set. */
    private void checkHistograms() {
        for (Map.Entry<String, String> t : types.entrySet()) {
            if (!t.getValue().equals("histogram")) {
                continue;
            }
            String family = t.getKey();
            Map<Map<String, String>, TreeMap<Double, Double>> buckets = new HashMap<>();
            for (Map.Entry<Series, Double> e : samples.entrySet()) {
                if (e.getKey().name().equals(family + "_bucket")) {
                    Map<String, String> rest = new TreeMap<>(e.getKey().labels());
                    String le = rest.remove("le");
                    if (le == null || !FLOAT.matcher(le).matches()) {
                        throw new IllegalArgumentException(family + " bucket without a valid le: " + e.getKey());
                    }
                    buckets.computeIfAbsent(rest, k -> new TreeMap<>()).put(value(le), e.getValue());
                }
            }
            for (Map.Entry<Map<String, String>, TreeMap<Double, Double>> b : buckets.entrySet()) {
                double previous = 0;
                for (double count : b.getValue().values()) {
                    if (count < previous) {
                        throw new IllegalArgumentException(family + " buckets shrink for " + b.getKey());
                    }
                    previous = count;
                }
                Double inf = b.getValue().get(Double.POSITIVE_INFINITY);
                Double count = samples.get(new Series(family + "_count", b.getKey()));
                if (inf == null || !inf.equals(count)) {
                    throw new IllegalArgumentException(family + " +Inf bucket " + inf + " is not _count " + count);
                }
            }
        }
    }

    /** Every series, in the order they came. */
    public Map<Series, Double> samples() {
        return Collections.unmodifiableMap(samples);
    }

    /** The TYPE of a family, or null. */
    public String type(String family) {
        return types.get(family);
    }

    /** The series of this name whose labels include {@code labels} (name, value, name, value...). */
    public List<Map.Entry<Series, Double>> find(String name, String... labels) {
        Predicate<Series> match = s -> {
            if (!s.name().equals(name)) {
                return false;
            }
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                    return false;
                }
            }
            return true;
        };
        List<Map.Entry<Series, Double>> found = new ArrayList<>();
        samples.entrySet().stream().filter(e -> match.test(e.getKey())).forEach(found::add);
        return found;
    }

    /** The one value of a series; fails when none or several match. */
    public double value(String name, String... labels) {
        List<Map.Entry<Series, Double>> found = find(name, labels);
        if (found.size() != 1) {
            throw new IllegalArgumentException(found.size() + " series match " + name + " " + List.of(labels));
        }
        return found.get(0).getValue();
    }

    /** The sum of the matching series (0 when none). */
    public double sum(String name, String... labels) {
        return find(name, labels).stream().mapToDouble(Map.Entry::getValue).sum();
    }
}
