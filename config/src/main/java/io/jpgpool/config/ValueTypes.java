package io.jpgpool.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The value types of pgpool.conf parameters. */
final class ValueTypes {

    private ValueTypes() {
    }

    // --- numbers ---------------------------------------------------------------------------

    // sign, then hex (0x..) or decimal with optional fraction/exponent, then an optional unit
    private static final Pattern NUMBER = Pattern.compile(
            "([+-]?)(?:0[xX]([0-9a-fA-F]+)|(\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?))\\s*([A-Za-z]*)");
    private static final Pattern OCTAL = Pattern.compile("0[0-7]+");
    private static final Pattern REAL = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");

    /**
     * Reads an integer, with an optional unit suffix converted to {@code unit}. Like PostgreSQL,
     * hex ({@code 0x1F}) and octal ({@code 0600}) are accepted. Unlike PostgreSQL, a value that is not
     * a whole number of {@code unit} ({@code 500ms} for a seconds parameter, {@code 1.5}) is an
     * error rather than rounded: silently rounding a timeout to 0 turns it off.
     */
    static BigInteger parseWhole(String text, Unit unit, long min, long max) throws InvalidValueException {
        Matcher m = NUMBER.matcher(text.strip());
        if (!m.matches()) {
            throw InvalidValueException.of(text, unit == Unit.NONE ? "must be an integer"
                    : "must be an integer with an optional unit (" + unit.validSuffixesHint() + ")");
        }
        BigDecimal number;
        if (m.group(2) != null) {
            if (m.group(2).length() > 20) {
                throw outOfRange(text, min, max, unit);
            }
            number = new BigDecimal(new BigInteger(m.group(2), 16));
        } else {
            String digits = m.group(3);
            if (digits.length() > 1 && digits.charAt(0) == '0' && digits.chars().allMatch(Character::isDigit)) {
                // C's strtol(..., 0): a leading 0 means octal (log_file_mode = 0600)
                if (!OCTAL.matcher(digits).matches()) {
                    throw InvalidValueException.of(text, "must be an integer (a leading 0 means octal)");
                }
                number = new BigDecimal(new BigInteger(digits, 8));
            } else {
                number = new BigDecimal(digits);
            }
        }
        // keep absurd exponents (1e999999999) away from BigInteger arithmetic
        if (number.signum() != 0 && number.precision() - number.scale() > 40) {
            throw outOfRange(text, min, max, unit);
        }
        if (number.scale() > 1000) {
            throw InvalidValueException.of(text, unit == Unit.NONE ? "must be an integer"
                    : "not a whole number of " + unit.plural());
        }
        if ("-".equals(m.group(1))) {
            number = number.negate();
        }
        String suffix = m.group(4);
        BigInteger result;
        if (suffix.isEmpty()) {
            if (number.signum() != 0 && number.stripTrailingZeros().scale() > 0) {
                throw InvalidValueException.of(text, unit == Unit.NONE ? "must be an integer"
                        : "not a whole number of " + unit.plural());
            }
            result = number.toBigInteger();
        } else {
            if (unit == Unit.NONE) {
                throw InvalidValueException.of(text, "this parameter does not take a unit");
            }
            Unit.Suffix found = null;
            for (Unit.Suffix s : Unit.SUFFIXES) {
                if (s.kind() == unit.kind() && s.text().equals(suffix)) {
                    found = s;
                }
            }
            if (found == null) {
                throw InvalidValueException.of(text, unit.validSuffixesHint());
            }
            BigDecimal[] qr = number.multiply(new BigDecimal(found.size())).divideAndRemainder(new BigDecimal(unit.size()));
            if (qr[1].signum() != 0) {
                throw InvalidValueException.of(text, "not a whole number of " + unit.plural());
            }
            result = qr[0].toBigInteger();
        }
        if (result.compareTo(BigInteger.valueOf(min)) < 0 || result.compareTo(BigInteger.valueOf(max)) > 0) {
            throw outOfRange(text, min, max, unit);
        }
        return result;
    }

    private static InvalidValueException outOfRange(String text, long min, long max, Unit unit) {
        return InvalidValueException.of(text, "must be between " + min + " and " + max
                + (unit == Unit.NONE ? "" : " " + unit.symbol()));
    }

    /** A whole number with an optional unit, read as an Integer or (the few {@code long} parameters) a Long. */
    static final class WholeType<N extends Number> implements ValueType<N> {
        private final ParamType type;
        private final Class<N> valueClass;
        private final Function<BigInteger, N> exact;
        private final N min;
        private final N max;
        private final Unit unit;

        private WholeType(ParamType type, Class<N> valueClass, Function<BigInteger, N> exact, N min, N max,
                Unit unit) {
            this.type = type;
            this.valueClass = valueClass;
            this.exact = exact;
            this.min = min;
            this.max = max;
            this.unit = unit;
        }

        static WholeType<Integer> ofInt(int min, int max, Unit unit) {
            return new WholeType<>(ParamType.INT, Integer.class, BigInteger::intValueExact, min, max, unit);
        }

        static WholeType<Long> ofLong(long min, long max, Unit unit) {
            return new WholeType<>(ParamType.LONG, Long.class, BigInteger::longValueExact, min, max, unit);
        }

        @Override
        public ParamType type() {
            return type;
        }

        @Override
        public Class<?> valueClass() {
            return valueClass;
        }

        @Override
        public N parse(String text, Consumer<String> warn) throws InvalidValueException {
            return exact.apply(parseWhole(text, unit, min.longValue(), max.longValue()));
        }

        @Override
        public String show(N value, String raw) {
            return unit.show(value.longValue());
        }

        @Override
        public String status(N value, String raw) {
            return value.toString();
        }

        @Override
        public Number min() {
            return min;
        }

        @Override
        public Number max() {
            return max;
        }

        @Override
        public Unit unit() {
            return unit;
        }
    }

    static final class DoubleType implements ValueType<Double> {
        private final double min;
        private final double max;

        DoubleType(double min, double max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public ParamType type() {
            return ParamType.DOUBLE;
        }

        @Override
        public Class<?> valueClass() {
            return Double.class;
        }

        @Override
        public Double parse(String text, Consumer<String> warn) throws InvalidValueException {
            String s = text.strip();
            if (!REAL.matcher(s).matches()) {
                throw InvalidValueException.of(text, "must be a number");
            }
            double v = Double.parseDouble(s);
            if (!(v >= min && v <= max)) {
                throw InvalidValueException.of(text, "must be between " + plain(min) + " and " + plain(max));
            }
            return v;
        }

        private static String plain(double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }

        @Override
        public String show(Double value, String raw) {
            // the only double is backend_weightN, which PGPOOL SHOW prints with "%d" of the weight
            return Long.toString(value.longValue());
        }

        @Override
        public String status(Double value, String raw) {
            return String.format(Locale.ROOT, "%f", value);
        }

        @Override
        public Number min() {
            return min;
        }

        @Override
        public Number max() {
            return max;
        }
    }

    // --- booleans, strings, enums ------------------------------------------------------------

    static final class BoolType implements ValueType<Boolean> {
        static final BoolType INSTANCE = new BoolType();

        /** PostgreSQL's parse_bool: on/off, true/false, yes/no, 1/0 and unique prefixes, any case. */
        static boolean parseBool(String text) throws InvalidValueException {
            String s = text.strip().toLowerCase(Locale.ROOT);
            if (!s.isEmpty()) {
                switch (s.charAt(0)) {
                    case 't':
                        if ("true".startsWith(s)) {
                            return true;
                        }
                        break;
                    case 'f':
                        if ("false".startsWith(s)) {
                            return false;
                        }
                        break;
                    case 'y':
                        if ("yes".startsWith(s)) {
                            return true;
                        }
                        break;
                    case 'n':
                        if ("no".startsWith(s)) {
                            return false;
                        }
                        break;
                    case 'o':
                        // "o" alone is ambiguous
                        if (s.equals("on")) {
                            return true;
                        }
                        if (s.length() >= 2 && "off".startsWith(s)) {
                            return false;
                        }
                        break;
                    case '1':
                        if (s.length() == 1) {
                            return true;
                        }
                        break;
                    case '0':
                        if (s.length() == 1) {
                            return false;
                        }
                        break;
                    default:
                        break;
                }
            }
            throw InvalidValueException.of(text, "must be a boolean (on/off, true/false, yes/no, 1/0)");
        }

        @Override
        public ParamType type() {
            return ParamType.BOOL;
        }

        @Override
        public Class<?> valueClass() {
            return Boolean.class;
        }

        @Override
        public Boolean parse(String text, Consumer<String> warn) throws InvalidValueException {
            return parseBool(text);
        }

        @Override
        public String show(Boolean value, String raw) {
            return value ? "on" : "off";
        }

        @Override
        public String status(Boolean value, String raw) {
            return value ? "1" : "0";
        }
    }

    static class StringType implements ValueType<String> {
        static final StringType INSTANCE = new StringType();

        @Override
        public ParamType type() {
            return ParamType.STRING;
        }

        @Override
        public Class<?> valueClass() {
            return String.class;
        }

        @Override
        public String parse(String text, Consumer<String> warn) throws InvalidValueException {
            return text;
        }

        @Override
        public String show(String value, String raw) {
            return value == null ? "" : value;
        }

        @Override
        public String status(String value, String raw) {
            // pgpool formats with "%s", which glibc prints as "(null)" for an unset string
            return value == null ? "(null)" : value;
        }
    }

    /** A string whose text must pass a check (log_destination, dml_adaptive_object_relationship_list). */
    static final class CheckedStringType extends StringType {
        /** Throws with the reason when the text is not acceptable. */
        interface Check {
            void check(String text) throws InvalidValueException;
        }

        private final Check check;

        CheckedStringType(Check check) {
            this.check = check;
        }

        @Override
        public String parse(String text, Consumer<String> warn) throws InvalidValueException {
            check.check(text);
            return text;
        }
    }

    static final class EnumType<E extends Enum<E> & PgpoolEnum> implements ValueType<E> {
        private final Class<E> enumClass;
        private final Map<String, E> byName = new LinkedHashMap<>();

        EnumType(Class<E> enumClass, Map<String, E> aliases) {
            this.enumClass = enumClass;
            for (E e : enumClass.getEnumConstants()) {
                byName.put(e.pgpoolName().toLowerCase(Locale.ROOT), e);
            }
            byName.putAll(aliases);
        }

        @Override
        public ParamType type() {
            return ParamType.ENUM;
        }

        @Override
        public Class<?> valueClass() {
            return enumClass;
        }

        @Override
        public E parse(String text, Consumer<String> warn) throws InvalidValueException {
            E e = byName.get(text.strip().toLowerCase(Locale.ROOT));
            if (e == null) {
                throw InvalidValueException.of(text, "must be one of " + Arrays.stream(enumClass.getEnumConstants())
                        .map(PgpoolEnum::pgpoolName).collect(Collectors.joining(", ")));
            }
            return e;
        }

        @Override
        public String show(E value, String raw) {
            return value.pgpoolName();
        }

        @Override
        public String status(E value, String raw) {
            // pool_status prints enum numbers, except syslog_facility which it prints as LOCAL<n>
            return value instanceof SyslogFacility ? value.pgpoolName() : Integer.toString(value.number());
        }
    }

    // --- lists -------------------------------------------------------------------------------

    /** Splits on {@code sep}, trims entries and drops empty ones. */
    static List<String> splitList(String text, char sep, boolean backslashEscapes) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (backslashEscapes && c == '\\' && i + 1 < text.length()) {
                // primary_routing_query_pattern_list: "\;" keeps a ';' inside a pattern (the regex sees "\;")
                char next = text.charAt(++i);
                if (next == '\'') {
                    cur.append('\'');
                } else {
                    cur.append(c).append(next);
                }
                continue;
            }
            if (c == sep) {
                addTrimmed(out, cur);
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        addTrimmed(out, cur);
        return out;
    }

    private static void addTrimmed(List<String> out, StringBuilder cur) {
        String s = cur.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
    }

    static final class StringListType implements ValueType<List<String>> {
        private final char sep;

        StringListType(char sep) {
            this.sep = sep;
        }

        @Override
        public ParamType type() {
            return ParamType.STRING_LIST;
        }

        @Override
        public Class<?> valueClass() {
            return List.class;
        }

        @Override
        public List<String> parse(String text, Consumer<String> warn) {
            return List.copyOf(splitList(text, sep, false));
        }

        @Override
        public String show(List<String> value, String raw) {
            return raw == null ? "" : raw;
        }

        @Override
        public String status(List<String> value, String raw) {
            return String.join(String.valueOf(sep), value);
        }
    }

    static final class PatternListType implements ValueType<List<Pattern>> {
        private final char sep;
        private final boolean escapes;

        PatternListType(char sep, boolean escapes) {
            this.sep = sep;
            this.escapes = escapes;
        }

        @Override
        public ParamType type() {
            return ParamType.PATTERN_LIST;
        }

        @Override
        public Class<?> valueClass() {
            return List.class;
        }

        @Override
        public List<Pattern> parse(String text, Consumer<String> warn) throws InvalidValueException {
            List<Pattern> out = new ArrayList<>();
            for (String entry : splitList(text, sep, escapes)) {
                try {
                    out.add(PosixRegex.compileAnchored(entry));
                } catch (InvalidValueException e) {
                    throw InvalidValueException.of(text, e.getMessage());
                }
            }
            return List.copyOf(out);
        }

        @Override
        public String show(List<Pattern> value, String raw) {
            return raw == null ? "" : raw;
        }

        @Override
        public String status(List<Pattern> value, String raw) {
            return raw == null ? "" : String.join(String.valueOf(sep), splitList(raw, sep, escapes));
        }

        @Override
        public Object key(List<Pattern> value) {
            return value.stream().map(Pattern::pattern).collect(Collectors.toList());
        }
    }

    /** {@code regex:target[(weight)]}, comma-separated (SEMANTICS §A.6). */
    static final class RedirectListType implements ValueType<List<RedirectRule>> {
        static final RedirectListType INSTANCE = new RedirectListType();
        private static final Pattern TARGET = Pattern.compile("\\s*([^()]*?)\\s*(?:\\(\\s*([^()]*?)\\s*\\))?\\s*");

        @Override
        public ParamType type() {
            return ParamType.REDIRECT_LIST;
        }

        @Override
        public Class<?> valueClass() {
            return List.class;
        }

        @Override
        public List<RedirectRule> parse(String text, Consumer<String> warn) throws InvalidValueException {
            List<RedirectRule> rules = new ArrayList<>();
            for (String entry : splitList(text, ',', false)) {
                int colon = entry.indexOf(':');
                if (colon < 0) {
                    throw InvalidValueException.of(text, "entry \"" + entry + "\" has no ':' (expected regex:target[(weight)])");
                }
                String regex = entry.substring(0, colon).strip();
                if (regex.isEmpty()) {
                    throw InvalidValueException.of(text, "entry \"" + entry + "\" has an empty regular expression");
                }
                Pattern pattern;
                try {
                    pattern = PosixRegex.compileAnchored(regex);
                } catch (InvalidValueException e) {
                    throw InvalidValueException.of(text, e.getMessage());
                }
                Matcher m = TARGET.matcher(entry.substring(colon + 1));
                if (!m.matches()) {
                    throw InvalidValueException.of(text, "entry \"" + entry + "\" is malformed (expected regex:target[(weight)])");
                }
                RedirectTarget target = target(text, m.group(1));
                double weight = 1.0;
                if (m.group(2) != null) {
                    String w = m.group(2);
                    if (!REAL.matcher(w).matches() || !((weight = Double.parseDouble(w)) >= 0 && weight <= 1)) {
                        throw InvalidValueException.of(text, "weight \"" + w + "\" must be a number between 0 and 1");
                    }
                }
                rules.add(new RedirectRule(pattern, target, weight));
            }
            return List.copyOf(rules);
        }

        private static RedirectTarget target(String text, String spec) throws InvalidValueException {
            if (spec.equalsIgnoreCase("primary")) {
                return RedirectTarget.PRIMARY;
            }
            if (spec.equalsIgnoreCase("standby")) {
                return RedirectTarget.STANDBY;
            }
            if (!spec.isEmpty() && spec.length() <= 3 && spec.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                int node = Integer.parseInt(spec);
                if (node < PgpoolConfig.MAX_BACKENDS) {
                    return new RedirectTarget.Node(node);
                }
            }
            throw InvalidValueException.of(text, "wrong redirect node spec \"" + spec
                    + "\" (expected primary, standby or a node id 0.." + (PgpoolConfig.MAX_BACKENDS - 1) + ")");
        }

        @Override
        public String show(List<RedirectRule> value, String raw) {
            return raw == null ? "" : raw;
        }

        @Override
        public String status(List<RedirectRule> value, String raw) {
            return raw == null ? "(null)" : raw;
        }
    }

    /** {@code backend_flagN}: {@code |}-separated flags (SEMANTICS §C.8). */
    static final class BackendFlagsType implements ValueType<Set<BackendFlag>> {
        static final BackendFlagsType INSTANCE = new BackendFlagsType();

        @Override
        public ParamType type() {
            return ParamType.BACKEND_FLAGS;
        }

        @Override
        public Class<?> valueClass() {
            return Set.class;
        }

        @Override
        public Set<BackendFlag> parse(String text, Consumer<String> warn) throws InvalidValueException {
            EnumSet<BackendFlag> flags = EnumSet.noneOf(BackendFlag.class);
            for (String f : splitList(text, '|', false)) {
                String name = f.toUpperCase(Locale.ROOT);
                if (name.equals("ALWAYS_MASTER")) {
                    warn.accept("flag ALWAYS_MASTER is deprecated; use ALWAYS_PRIMARY");
                    name = "ALWAYS_PRIMARY";
                }
                BackendFlag flag;
                try {
                    flag = BackendFlag.valueOf(name);
                } catch (IllegalArgumentException e) {
                    throw InvalidValueException.of(text, "unknown backend flag \"" + f
                            + "\" (expected ALLOW_TO_FAILOVER, DISALLOW_TO_FAILOVER or ALWAYS_PRIMARY)");
                }
                flags.add(flag);
            }
            if (flags.contains(BackendFlag.ALLOW_TO_FAILOVER) && flags.contains(BackendFlag.DISALLOW_TO_FAILOVER)) {
                throw InvalidValueException.of(text, "cannot set ALLOW_TO_FAILOVER and DISALLOW_TO_FAILOVER at the same time");
            }
            if (!flags.contains(BackendFlag.DISALLOW_TO_FAILOVER)) {
                flags.add(BackendFlag.ALLOW_TO_FAILOVER);
            }
            return Collections.unmodifiableSet(flags);
        }

        static String text(Set<BackendFlag> flags) {
            String text = flags.contains(BackendFlag.DISALLOW_TO_FAILOVER) ? "DISALLOW_TO_FAILOVER" : "ALLOW_TO_FAILOVER";
            return flags.contains(BackendFlag.ALWAYS_PRIMARY) ? text + "|ALWAYS_PRIMARY" : text;
        }

        @Override
        public String show(Set<BackendFlag> value, String raw) {
            return text(value);
        }

        @Override
        public String status(Set<BackendFlag> value, String raw) {
            return text(value);
        }
    }
}
