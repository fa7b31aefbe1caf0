package io.jpgpool.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads pgpool.conf syntax into name/value assignments, one per line:
 * {@code name [=] value [# comment]}. Values are bare words or single-quoted; in quotes {@code ''}
 * and {@code \'} stand for a quote and other backslash pairs are kept as written (pgpool does no
 * unescaping, and regex lists rely on that). {@code include 'file'} reads another file in place,
 * relative to the including file's directory.
 */
final class ConfigFileReader {

    /** One {@code name = value} line, name in lower case. */
    record Assignment(String name, String value, String file, int line) {
    }

    private static final int MAX_INCLUDE_DEPTH = 10;

    private final List<Assignment> out = new ArrayList<>();

    private ConfigFileReader() {
    }

    static List<Assignment> read(String fileName, String text, Path baseDir) throws ConfigException {
        ConfigFileReader r = new ConfigFileReader();
        r.readText(fileName, text, baseDir, 0);
        return r.out;
    }

    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            // not UTF-8: pgpool works on bytes, so keep every byte as one char
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private void readText(String fileName, String text, Path baseDir, int depth) throws ConfigException {
        int lineNo = 0;
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            lineNo++;
            parseLine(fileName, lineNo, text.substring(start, end), baseDir, depth);
            start = end + 1;
        }
    }

    private void parseLine(String file, int lineNo, String line, Path baseDir, int depth) throws ConfigException {
        int i = skipSpace(line, 0);
        if (i == line.length() || line.charAt(i) == '#') {
            return;
        }
        int nameStart = i;
        if (!isNameStart(line.charAt(i))) {
            throw syntax(file, lineNo, "unexpected \"" + line.charAt(i) + "\" at the start of a line");
        }
        while (i < line.length() && isNameChar(line.charAt(i))) {
            i++;
        }
        String name = line.substring(nameStart, i).toLowerCase(Locale.ROOT);
        i = skipSpace(line, i);
        if (i < line.length() && line.charAt(i) == '=') {
            i = skipSpace(line, i + 1);
        }
        if (i == line.length() || line.charAt(i) == '#') {
            throw syntax(file, lineNo, "missing value for \"" + name + "\"");
        }
        String value;
        if (line.charAt(i) == '\'') {
            StringBuilder sb = new StringBuilder();
            i++;
            boolean closed = false;
            while (i < line.length()) {
                char c = line.charAt(i);
                if (c == '\'') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                        sb.append('\'');
                        i += 2;
                        continue;
                    }
                    closed = true;
                    i++;
                    break;
                }
                if (c == '\\' && i + 1 < line.length()) {
                    char next = line.charAt(i + 1);
                    if (next == '\'') {
                        sb.append('\'');
                    } else {
                        sb.append(c).append(next);
                    }
                    i += 2;
                    continue;
                }
                sb.append(c);
                i++;
            }
            if (!closed) {
                throw syntax(file, lineNo, "unterminated quoted string");
            }
            value = sb.toString();
        } else {
            int valueStart = i;
            while (i < line.length() && !isSpace(line.charAt(i)) && line.charAt(i) != '#') {
                char c = line.charAt(i);
                if (c == '\'' || c == '=') {
                    throw syntax(file, lineNo, "unexpected \"" + c + "\" in the value of \"" + name + "\"");
                }
                i++;
            }
            value = line.substring(valueStart, i);
        }
        i = skipSpace(line, i);
        if (i < line.length() && line.charAt(i) != '#') {
            throw syntax(file, lineNo, "unexpected text after the value of \"" + name + "\"");
        }
        if (name.equals("include")) {
            include(file, lineNo, value, baseDir, depth);
        } else {
            out.add(new Assignment(name, value, file, lineNo));
        }
    }

    private void include(String file, int lineNo, String target, Path baseDir, int depth) throws ConfigException {
        if (depth >= MAX_INCLUDE_DEPTH) {
            throw new ConfigException(file, lineNo, "include", "nesting depth exceeded (" + MAX_INCLUDE_DEPTH + ")");
        }
        Path path;
        byte[] bytes;
        try {
            path = Path.of(target);
            if (!path.isAbsolute() && baseDir != null) {
                path = baseDir.resolve(path);
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException | InvalidPathException | SecurityException e) {
            throw new ConfigException(file, lineNo, "include", "could not read \"" + target + "\": " + e, e);
        }
        readText(path.toString(), decode(bytes), path.toAbsolutePath().getParent(), depth + 1);
    }

    private static ConfigException syntax(String file, int line, String detail) {
        return new ConfigException(file, line, null, "syntax error: " + detail);
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static boolean isNameStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80 && Character.isLetter(c);
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || c >= '0' && c <= '9' || c == '.';
    }
}
