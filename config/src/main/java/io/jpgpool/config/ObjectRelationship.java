package io.jpgpool.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One entry of {@code dml_adaptive_object_relationship_list} ({@code 'a:b, f():c'}, SEMANTICS A.9): when table
 * {@code a} is written, or function {@code f} is called, in a transaction, {@code related} counts as written too.
 *
 * @param object   the table or function name, lower case (pgpool compares case-insensitively)
 * @param function the entry named a function ({@code f()})
 * @param related  the table that counts as written, lower case
 */
public record ObjectRelationship(String object, boolean function, String related) {

    /** Reads the list; an entry without both sides of its {@code :} is an error. */
    static List<ObjectRelationship> parseList(String text) throws InvalidValueException {
        List<ObjectRelationship> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String entry : ValueTypes.splitList(text, ',', false)) {
            int colon = entry.indexOf(':');
            String left = colon < 0 ? "" : entry.substring(0, colon).strip();
            String right = colon < 0 ? "" : entry.substring(colon + 1).strip();
            if (left.isEmpty() || right.isEmpty() || right.indexOf(':') >= 0) {
                throw InvalidValueException.of(text, "\"" + entry + "\" is not object:related_object");
            }
            boolean function = left.endsWith("()");
            out.add(new ObjectRelationship(name(left), function, name(right)));
        }
        return List.copyOf(out);
    }

    private static String name(String token) {
        String n = token.endsWith("()") ? token.substring(0, token.length() - 2).strip() : token;
        return n.toLowerCase(Locale.ROOT);
    }
}
