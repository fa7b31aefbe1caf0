package io.jpgpool.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * pool_hba.conf, read and checked (SEMANTICS §E.3; pgpool's pool_hba.c): the rules in file order. The first
 * line whose connection type, database, user and address fit the client decides; no fitting line is a
 * rejection. A file that does not parse is refused whole ({@link #load}), so a reload that fails keeps the
 * rules in force.
 */
public final class PoolHba {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final List<String> LDAP_OPTIONS = List.of("ldapurl", "ldaptls", "ldapscheme", "ldapserver",
            "ldapport", "ldapbinddn", "ldapbindpasswd", "ldapsearchattribute", "ldapsearchfilter", "ldapbasedn",
            "ldapprefix", "ldapsuffix", "backend_use_passwd");

    private final List<HbaLine> lines;
    private final List<ConfigWarning> warnings;

    private PoolHba(List<HbaLine> lines, List<ConfigWarning> warnings) {
        this.lines = List.copyOf(lines);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Reads pool_hba.conf. {@code sslEnabled} is pgpool.conf's {@code ssl}: {@code hostssl} lines are kept but
     * warned about when it is off, as pgpool does.
     *
     * @throws ConfigException {@code file:line: reason} for the first line that is wrong, or for a file that
     *                         cannot be read or has no rules
     */
    public static PoolHba load(Path file, boolean sslEnabled) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            throw new ConfigException(file.toString(), 0, null, "could not open configuration file \""
                    + file + "\": " + e.getMessage(), e);
        }
        return parse(file.toString(), ConfigFileReader.decode(bytes), file.toAbsolutePath().getParent(),
                sslEnabled);
    }

    /** Parses pool_hba.conf text; {@code @file} names are resolved against {@code baseDir}. */
    public static PoolHba parse(String fileName, String text, Path baseDir, boolean sslEnabled)
            throws ConfigException {
        List<HbaLine> lines = new ArrayList<>();
        List<ConfigWarning> warnings = new ArrayList<>();
        for (HbaTokenizer.Line l : HbaTokenizer.tokenize(fileName, text, baseDir)) {
            lines.add(new LineParser(fileName, l, sslEnabled, warnings).parse());
        }
        if (lines.isEmpty()) {
            throw new ConfigException(fileName, 0, null, "configuration file \"" + fileName
                    + "\" contains no entries");
        }
        return new PoolHba(lines, warnings);
    }

    public List<HbaLine> lines() {
        return lines;
    }

    /** Lines that parse but cannot do what they say ({@code hostssl} with ssl off, group names). */
    public List<ConfigWarning> warnings() {
        return warnings;
    }

    /**
     * The rule for this client: the first line that fits, else a rejection (pgpool's uaImplicitReject).
     * {@code lookup} is asked only for lines with a host name, {@code samehost} or {@code samenet}.
     */
    public HbaMatch match(HbaRequest request, HostLookup lookup) {
        HostLookup.Cache cache = new HostLookup.Cache();
        for (HbaLine line : lines) {
            if (!line.type().admits(request.isLocal(), request.ssl())) {
                continue;
            }
            if (line.address() != null && !line.address().matches(request.remoteAddress(), lookup, cache)) {
                continue;
            }
            if (line.matchesDatabase(request.database(), request.user()) && line.matchesUser(request.user())) {
                return new HbaMatch(request, Optional.of(line));
            }
        }
        return new HbaMatch(request, Optional.empty());
    }

    /** {@link #match(HbaRequest, HostLookup)} with the operating system's resolver. */
    public HbaMatch match(HbaRequest request) {
        return match(request, HostLookup.system());
    }

    /** Whether matching may need DNS (a host-name line): then match off the event loop. */
    public boolean needsDns() {
        return lines.stream().anyMatch(l -> l.address() instanceof HbaAddress.HostName);
    }

    /** pgpool's parse_hba_line for one tokenized line; messages are pgpool's. */
    private static final class LineParser {
        private final String file;
        private final HbaTokenizer.Line line;
        private final boolean ssl;
        private final List<ConfigWarning> warnings;
        private int next;

        LineParser(String file, HbaTokenizer.Line line, boolean ssl, List<ConfigWarning> warnings) {
            this.file = file;
            this.line = line;
            this.ssl = ssl;
            this.warnings = warnings;
        }

        HbaLine parse() throws ConfigException {
            HbaConnectionType type = connectionType();
            List<HbaToken> databases = field("end-of-line before database specification");
            List<HbaToken> users = field("end-of-line before role specification");
            for (HbaToken t : databases) {
                if (t.isKeyword("samegroup") || t.isKeyword("samerole")) {
                    warn("group tokens \"samegroup\" and \"samerole\" are not supported by Pgpool-II");
                }
            }
            for (HbaToken t : users) {
                if (!t.quoted() && t.text().startsWith("+")) {
                    warn("group token \"+\" is not supported by Pgpool-II");
                }
            }
            HbaAddress address = type == HbaConnectionType.LOCAL ? null : address();
            HbaMethod method = method();
            Map<String, String> options = options();
            return new HbaLine(file, line.number(), type, databases, users, address, method, options, line.raw());
        }

        private HbaConnectionType connectionType() throws ConfigException {
            List<HbaToken> f = line.fields().get(next++);
            if (f.size() > 1) {
                throw error("multiple values specified for connection type");
            }
            HbaConnectionType type = HbaKeyword.lookup(HbaConnectionType.values(), f.get(0).text());
            if (type == null) {
                throw error("invalid connection type \"" + f.get(0).text() + "\"");
            }
            if (type == HbaConnectionType.HOSTSSL && !ssl) {
                warn("hostssl record cannot match because SSL is disabled (set ssl = on in pgpool.conf)");
            }
            return type;
        }

        private List<HbaToken> field(String missing) throws ConfigException {
            if (next >= line.fields().size()) {
                throw error(missing);
            }
            return line.fields().get(next++);
        }

        private HbaToken single(String missing, String multiple) throws ConfigException {
            List<HbaToken> f = field(missing);
            if (f.size() > 1) {
                throw error(multiple);
            }
            return f.get(0);
        }

        private HbaAddress address() throws ConfigException {
            HbaToken t = single("end-of-line before IP address specification",
                    "multiple values specified for host address");
            if (t.isKeyword("all")) {
                return new HbaAddress.All();
            } else if (t.isKeyword("samehost")) {
                return new HbaAddress.SameHost();
            } else if (t.isKeyword("samenet")) {
                return new HbaAddress.SameNet();
            }
            String text = t.text();
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            byte[] addr = numericAddress(host, "invalid IP address \"" + host + "\"");
            if (addr == null) {
                if (slash >= 0) {
                    throw error("specifying both host name and CIDR mask is invalid: \"" + text + "\"");
                }
                if (host.isEmpty()) {
                    throw error("invalid IP address \"\"");
                }
                return new HbaAddress.HostName(host);
            }
            if (slash >= 0) {
                String bits = text.substring(slash + 1);
                int max = addr.length * 8;
                if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > max) {
                    throw error("invalid CIDR mask in address \"" + text + "\"");
                }
                return new HbaAddress.Network(addr, HbaAddress.Network.cidrMask(addr.length, Integer.parseInt(bits)));
            }
            HbaToken m = single("end-of-line before netmask specification (specify an address range in CIDR "
                    + "notation, or provide a separate netmask)", "multiple values specified for netmask");
            byte[] mask = numericAddress(m.text(), "invalid IP mask \"" + m.text() + "\"");
            if (mask == null) {
                throw error("invalid IP mask \"" + m.text() + "\": Name or service not known");
            }
            if (mask.length != addr.length) {
                throw error("IP address and mask do not match");
            }
            return new HbaAddress.Network(addr, mask);
        }

        /** A numeric IPv4 or IPv6 address; null if it is no address at all (then pgpool takes it as a name). */
        private byte[] numericAddress(String text, String invalid) throws ConfigException {
            var v4 = IPV4.matcher(text);
            if (v4.matches()) {
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(v4.group(i + 1));
                    if (octet > 255) {
                        throw error(invalid);
                    }
                    b[i] = (byte) octet;
                }
                return b;
            }
            if (text.indexOf(':') >= 0) {
                if (!IPV6_CHARS.matcher(text).matches()) {
                    throw error(invalid);
                }
                try {
                    // with a ':' in it the JDK parses a literal and never asks DNS
                    return InetAddress.getByName(text).getAddress();
                } catch (UnknownHostException e) {
                    throw error(invalid);
                }
            }
            return null;
        }

        private HbaMethod method() throws ConfigException {
            HbaToken t = single("end-of-line before authentication method",
                    "multiple values specified for authentication type");
            HbaMethod m = HbaKeyword.lookup(HbaMethod.values(), t.text());
            if (m != null) {
                return m;
            }
            String detail = switch (t.text()) {
                case "pam" -> ": jpgpool does not support PAM authentication";
                case "ldap" -> ": jpgpool does not support LDAP authentication";
                default -> "";
            };
            throw error("invalid authentication method \"" + t.text() + "\"" + detail);
        }

        private Map<String, String> options() throws ConfigException {
            Map<String, String> options = new LinkedHashMap<>();
            while (next < line.fields().size()) {
                for (HbaToken t : line.fields().get(next++)) {
                    int eq = t.text().indexOf('=');
                    if (eq < 0) {
                        throw error("authentication option not in name=value format: " + t.text());
                    }
                    String name = t.text().substring(0, eq);
                    if (name.equals("pamservice") || name.equals("pam_use_hostname")) {
                        throw error("pamservice authentication option can only be configured for authentication "
                                + "method \"pam\"");
                    }
                    if (LDAP_OPTIONS.contains(name)) {
                        throw error("authentication option \"" + name + "\" is only valid for authentication "
                                + "methods ldap");
                    }
                    throw error("unrecognized authentication option name: \"" + name + "\"");
                }
            }
            return options;
        }

        private void warn(String message) {
            warnings.add(new ConfigWarning(file, line.number(), null, message));
        }

        private ConfigException error(String reason) {
            return new ConfigException(file, line.number(), null, reason);
        }
    }
}
