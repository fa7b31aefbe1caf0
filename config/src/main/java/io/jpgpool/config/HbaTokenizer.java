package io.jpgpool.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * pool_hba.conf's lexer, pgpool's next_token/next_field_expand/tokenize_file: fields are separated by blanks,
 * a field is a comma list of tokens, {@code "..."} quotes (with {@code ""} for a quote), {@code #} starts a
 * comment, and an unquoted {@code @file} token is replaced by every token of that file (relative to the
 * including file's directory).
 */
final class HbaTokenizer {
    /** pgpool's MAX_LINE and MAX_TOKEN, so files pgpool refuses are refused here too. */
    static final int MAX_LINE = 8192;
    static final int MAX_TOKEN = 256;
    /** An include chain this deep is a loop (pgpool would recurse until it crashed). */
    static final int MAX_INCLUDE_DEPTH = 10;

    /** One non-empty line: its fields, each a non-empty list of tokens. */
    record Line(int number, String raw, List<List<HbaToken>> fields) {
    }

    private final String fileName;
    private final Path baseDir;
    private final int depth;
    private String text;
    private int pos;
    private boolean trailingComma;
    private boolean initialQuote;

    private HbaTokenizer(String fileName, Path baseDir, int depth) {
        this.fileName = fileName;
        this.baseDir = baseDir;
        this.depth = depth;
    }

    /** Every line of {@code text} that has fields; errors name {@code fileName} and the line. */
    static List<Line> tokenize(String fileName, String text, Path baseDir) throws ConfigException {
        return new HbaTokenizer(fileName, baseDir, 0).lines(text);
    }

    private List<Line> lines(String content) throws ConfigException {
        List<Line> out = new ArrayList<>();
        String[] raw = content.split("\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String line = raw[i];
            int end = line.length();
            while (end > 0 && line.charAt(end - 1) == '\r') {
                end--;
            }
            line = line.substring(0, end);
            if (line.length() >= MAX_LINE - 1) {
                throw new ConfigException(fileName, i + 1, null, "authentication file line too long");
            }
            if (line.indexOf('\0') >= 0) {
                throw new ConfigException(fileName, i + 1, null, "invalid character (NUL) in authentication file");
            }
            List<List<HbaToken>> fields = fields(line, i + 1);
            if (!fields.isEmpty()) {
                out.add(new Line(i + 1, line, fields));
            }
        }
        return out;
    }

    private List<List<HbaToken>> fields(String line, int lineNo) throws ConfigException {
        text = line;
        pos = 0;
        List<List<HbaToken>> fields = new ArrayList<>();
        while (pos < text.length()) {
            List<HbaToken> field = new ArrayList<>();
            do {
                String token = nextToken(lineNo);
                if (token == null) {
                    break;
                }
                if (!initialQuote && token.length() > 1 && token.charAt(0) == '@') {
                    field.addAll(include(token.substring(1), lineNo));
                } else {
                    field.add(new HbaToken(token, initialQuote));
                }
            } while (trailingComma);
            if (!field.isEmpty()) {
                fields.add(field);
            }
        }
        return fields;
    }

    /** The next token, or null at the end of the line or a comment. */
    private String nextToken(int lineNo) throws ConfigException {
        initialQuote = false;
        trailingComma = false;
        while (pos < text.length() && (blank(text.charAt(pos)) || text.charAt(pos) == ',')) {
            pos++;
        }
        StringBuilder sb = new StringBuilder();
        boolean inQuote = false;
        boolean wasQuote = false;
        boolean sawQuote = false;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (blank(c) && !inQuote) {
                break;
            }
            if (c == '#' && !inQuote) {
                pos = text.length(); // a comment runs to the end of the line
                break;
            }
            if (sb.length() >= MAX_TOKEN - 1) {
                throw new ConfigException(fileName, lineNo, null,
                        "authentication file token too long, skipping: \"" + sb + "\"");
            }
            pos++;
            if (c == ',' && !inQuote) {
                trailingComma = true;
                break;
            }
            if (c != '"' || wasQuote) {
                sb.append(c);
            }
            // inside quotes, "" stands for one quote
            wasQuote = inQuote && c == '"' && !wasQuote;
            if (c == '"') {
                inQuote = !inQuote;
                sawQuote = true;
                if (sb.length() == 0) {
                    initialQuote = true;
                }
            }
        }
        return sawQuote || sb.length() > 0 ? sb.toString() : null;
    }

    private List<HbaToken> include(String name, int lineNo) throws ConfigException {
        Path file = baseDir == null ? Path.of(name) : baseDir.resolve(name);
        if (depth >= MAX_INCLUDE_DEPTH) {
            throw new ConfigException(fileName, lineNo, null, "could not open secondary authentication file \"@"
                    + name + "\": included more than " + MAX_INCLUDE_DEPTH + " levels deep");
        }
        String content;
        try {
            content = ConfigFileReader.decode(Files.readAllBytes(file));
        } catch (IOException | SecurityException e) {
            throw new ConfigException(fileName, lineNo, null, "could not open secondary authentication file \"@"
                    + name + "\" as \"" + file + "\": " + e.getMessage());
        }
        HbaTokenizer inner = new HbaTokenizer(file.toString(), file.toAbsolutePath().getParent(), depth + 1);
        List<HbaToken> tokens = new ArrayList<>();
        for (Line l : inner.lines(content)) {
            l.fields().forEach(tokens::addAll);
        }
        return tokens;
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }
}
