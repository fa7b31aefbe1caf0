package io.jpgpool.protocol.auth;

import java.nio.charset.StandardCharsets;

/**
 * Reads the {@code a=value,b=value} attributes of one SCRAM message, with PostgreSQL's error wording.
 *
 * <p>The message is held as ISO-8859-1 text, one char per byte, so that the exact bytes the peer sent (a
 * non-UTF-8 user name, say) go into the AuthMessage unchanged when we hash it.
 */
final class ScramMessageReader {
    private final String text;
    private int pos;

    private ScramMessageReader(String text) {
        this.text = text;
    }

    /** Refuses what PostgreSQL refuses before parsing: an empty message or one with a NUL byte in it. */
    static ScramMessageReader of(byte[] message) {
        if (message == null || message.length == 0) {
            throw ScramException.malformed("The message is empty.");
        }
        for (byte b : message) {
            if (b == 0) {
                throw ScramException.malformed("Message length does not match input length.");
            }
        }
        return new ScramMessageReader(new String(message, StandardCharsets.ISO_8859_1));
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    /** The next character, or 0 at the end (a NUL cannot be in the message, so it is a safe marker). */
    char peek() {
        return atEnd() ? 0 : text.charAt(pos);
    }

    void skip() {
        pos++;
    }

    int position() {
        return pos;
    }

    String substring(int from, int to) {
        return text.substring(from, to);
    }

    String whole() {
        return text;
    }

    String rest() {
        return text.substring(pos);
    }

    void expectComma() {
        if (peek() != ',') {
            throw ScramException.malformed("Comma expected, but found character \"" + describe(peek()) + "\".");
        }
        pos++;
    }

    /** Reads {@code name=value} and the comma after it, if there is one. */
    String readAttribute(char name) {
        if (atEnd()) {
            throw ScramException.malformed("Attribute expected, but found end of string.");
        }
        if (peek() != name) {
            throw ScramException.malformed(
                    "Expected attribute \"" + name + "\" but found \"" + describe(peek()) + "\".");
        }
        pos++;
        return readValue(name);
    }

    /** Reads any {@code name=value} (an extension we skip, or the proof); returns it as a pair. */
    Attribute readAnyAttribute() {
        if (atEnd()) {
            throw ScramException.malformed("Attribute expected, but found end of string.");
        }
        char name = peek();
        if (!((name >= 'A' && name <= 'Z') || (name >= 'a' && name <= 'z'))) {
            throw ScramException.malformed(
                    "Attribute expected, but found invalid character \"" + describe(name) + "\".");
        }
        pos++;
        return new Attribute(name, readValue(name));
    }

    record Attribute(char name, String value) {
    }

    private String readValue(char name) {
        if (peek() != '=') {
            throw ScramException.malformed("Expected character \"=\" for attribute \"" + name + "\".");
        }
        pos++;
        int end = text.indexOf(',', pos);
        String value;
        if (end < 0) {
            value = text.substring(pos);
            pos = text.length();
        } else {
            value = text.substring(pos, end);
            pos = end + 1;
        }
        return value;
    }

    /** RFC 5802 "printable": 0x21..0x7E except the comma. */
    static boolean isPrintable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                return false;
            }
        }
        return true;
    }

    /**
     * A character from the peer as it may appear in an error: itself when printable ASCII, else its code, so
     * a client cannot put arbitrary bytes into our log (PostgreSQL's sanitize_char).
     */
    static String describe(char c) {
        return c >= 0x21 && c <= 0x7E ? String.valueOf(c) : String.format("0x%02x", (int) c);
    }

    /** A string from the peer for an error: itself when printable ASCII, else a placeholder. */
    static String describe(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return "(non-printable)";
            }
        }
        return s;
    }
}
