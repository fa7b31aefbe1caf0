package io.jpgpool.core.tls;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code ssl_ciphers}, an OpenSSL cipher string such as {@code HIGH:MEDIUM:+3DES:!aNULL}, turned into the list
 * of Java cipher-suite names a TLS provider takes. Elements are separated by {@code :}, {@code ,} or blanks;
 * {@code !X} removes X for good, {@code -X} removes it, {@code +X} moves it to the end, {@code X+Y} is what both
 * X and Y name; {@code @STRENGTH} and {@code @SECLEVEL=n} are ignored. Names are OpenSSL's aliases (ALL, DEFAULT,
 * HIGH, MEDIUM, LOW, aNULL, eNULL, NULL, kRSA, ECDHE, DHE, aECDSA, AES, AES128, AES256, AESGCM, CHACHA20, 3DES,
 * SHA1, SHA256, SHA384, ...) or single suites by their OpenSSL or IANA names. TLS 1.3 suites are not governed
 * by the string (as in OpenSSL) and always come first.
 */
public final class CipherList {

    private CipherList() {
    }

    /** The parts of a TLS 1.2-or-older suite name, as OpenSSL classifies it. */
    record Suite(String javaName, String kx, String auth, String enc, String mac) {

        static Suite parse(String javaName) {
            String n = javaName.replaceFirst("^(TLS|SSL)_", "");
            int with = n.indexOf("_WITH_");
            if (with < 0) {
                return null; // a TLS 1.3 suite or a signalling value
            }
            String[] left = n.substring(0, with).split("_", 2);
            String kx = left[0];
            String auth = left.length > 1 ? left[1] : kx; // TLS_RSA_WITH_...: RSA does both
            String right = n.substring(with + 6);
            int cut = right.lastIndexOf('_');
            return new Suite(javaName, kx, auth, right.substring(0, cut), right.substring(cut + 1));
        }

        boolean anonymous() {
            return auth.equals("anon");
        }

        boolean nullCipher() {
            return enc.equals("NULL");
        }

        boolean tripleDes() {
            return enc.startsWith("3DES");
        }

        boolean weak() {
            return enc.startsWith("DES") || enc.startsWith("RC4") || enc.startsWith("RC2") || enc.contains("EXPORT")
                    || enc.contains("40");
        }

        /** OpenSSL 1.1: 3DES is MEDIUM, DES/RC4/export LOW or gone, the rest (AES, ChaCha20, Camellia) HIGH. */
        boolean high() {
            return !nullCipher() && !tripleDes() && !weak() && !enc.startsWith("SEED");
        }

        boolean medium() {
            return tripleDes() || enc.startsWith("SEED");
        }

        /** The OpenSSL name (ECDHE-RSA-AES128-GCM-SHA256), for single-suite elements. */
        String openSslName() {
            String e = enc.replace("AES_128_GCM", "AES128-GCM").replace("AES_256_GCM", "AES256-GCM")
                    .replace("AES_128_CBC", "AES128").replace("AES_256_CBC", "AES256")
                    .replace("CHACHA20_POLY1305", "CHACHA20-POLY1305").replace("3DES_EDE_CBC", "DES-CBC3");
            String tail = enc.contains("POLY1305") ? "" : "-" + mac;
            String prefix = switch (kx) {
                case "RSA" -> "";
                case "ECDHE" -> "ECDHE-" + (auth.equals("RSA") ? "RSA-" : auth.equals("ECDSA") ? "ECDSA-" : auth + "-");
                case "DHE" -> "DHE-" + (auth.equals("RSA") ? "RSA-" : auth.equals("DSS") ? "DSS-" : auth + "-");
                default -> kx + "-" + auth + "-";
            };
            return prefix + e + tail;
        }
    }

    /**
     * The suites of {@code available} (Java names, in the provider's order of preference) that
     * {@code cipherString} selects, TLS 1.3 suites first.
     *
     * @throws IllegalArgumentException if nothing is selected, as OpenSSL's SSL_CTX_set_cipher_list fails
     */
    public static List<String> select(String cipherString, List<String> available) {
        List<String> tls13 = new ArrayList<>();
        List<Suite> universe = new ArrayList<>();
        for (String name : available) {
            if (name.startsWith("SSL_") || name.contains("_SCSV")) {
                continue; // Netty lists every suite twice, as TLS_ and SSL_; SCSV is no cipher
            }
            Suite s = Suite.parse(name);
            if (s == null) {
                tls13.add(name);
            } else {
                universe.add(s);
            }
        }
        LinkedHashSet<Suite> chosen = new LinkedHashSet<>();
        Set<Suite> banned = new java.util.HashSet<>();
        for (String element : cipherString.split("[:, ]+")) {
            if (element.isEmpty() || element.startsWith("@")) {
                continue;
            }
            char op = element.charAt(0);
            String body = op == '!' || op == '-' || op == '+' ? element.substring(1) : element;
            Predicate<Suite> selects = intersection(body);
            List<Suite> matching = universe.stream().filter(selects).toList();
            switch (op) {
                case '!' -> {
                    banned.addAll(matching);
                    matching.forEach(chosen::remove);
                }
                case '-' -> matching.forEach(chosen::remove);
                case '+' -> matching.stream().filter(chosen::contains).forEach(s -> {
                    chosen.remove(s);
                    chosen.add(s);
                });
                default -> matching.stream().filter(s -> !banned.contains(s)).forEach(chosen::add);
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("could not set the cipher list (no valid ciphers available): \""
                    + cipherString + "\"");
        }
        List<String> result = new ArrayList<>(tls13);
        chosen.forEach(s -> result.add(s.javaName()));
        return result;
    }

    private static Predicate<Suite> intersection(String body) {
        Predicate<Suite> p = s -> true;
        for (String part : body.split("\\+")) {
            if (!part.isEmpty()) {
                p = p.and(alias(part));
            }
        }
        return p;
    }

    /** One OpenSSL alias or suite name. Unknown names select nothing, as in OpenSSL. */
    private static Predicate<Suite> alias(String name) {
        return switch (name) {
            case "ALL" -> s -> !s.nullCipher();
            case "DEFAULT" -> s -> !s.nullCipher() && !s.anonymous() && !s.weak();
            case "COMPLEMENTOFALL", "COMPLEMENTOFDEFAULT" -> s -> s.nullCipher() || s.anonymous();
            case "HIGH" -> Suite::high;
            case "MEDIUM" -> Suite::medium;
            case "LOW", "EXP", "EXPORT" -> Suite::weak;
            case "aNULL" -> Suite::anonymous;
            case "eNULL", "NULL" -> Suite::nullCipher;
            case "kRSA", "RSA" -> s -> s.kx().equals("RSA");
            case "aRSA" -> s -> s.auth().equals("RSA");
            case "kECDHE", "kEECDH", "ECDHE", "EECDH" -> s -> s.kx().equals("ECDHE");
            case "kDHE", "kEDH", "DHE", "EDH" -> s -> s.kx().equals("DHE");
            case "ECDH" -> s -> s.kx().startsWith("ECDH");
            case "aECDSA", "ECDSA" -> s -> s.auth().equals("ECDSA");
            case "aDSS", "DSS" -> s -> s.auth().equals("DSS");
            case "PSK" -> s -> s.kx().contains("PSK") || s.auth().contains("PSK");
            case "AES" -> s -> s.enc().startsWith("AES");
            case "AES128" -> s -> s.enc().startsWith("AES_128");
            case "AES256" -> s -> s.enc().startsWith("AES_256");
            case "AESGCM" -> s -> s.enc().startsWith("AES") && s.enc().contains("GCM");
            case "AESCCM" -> s -> s.enc().startsWith("AES") && s.enc().contains("CCM");
            case "CHACHA20" -> s -> s.enc().startsWith("CHACHA20");
            case "CAMELLIA" -> s -> s.enc().startsWith("CAMELLIA");
            case "3DES" -> Suite::tripleDes;
            case "DES" -> s -> s.enc().startsWith("DES");
            case "RC4" -> s -> s.enc().startsWith("RC4");
            case "SHA1", "SHA" -> s -> s.mac().equals("SHA");
            case "SHA256" -> s -> s.mac().equals("SHA256");
            case "SHA384" -> s -> s.mac().equals("SHA384");
            case "MD5" -> s -> s.mac().equals("MD5");
            case "TLSv1.2" -> s -> s.mac().startsWith("SHA2") || s.mac().startsWith("SHA3") || s.enc().contains("GCM")
                    || s.enc().contains("POLY1305");
            case "TLSv1", "TLSv1.0", "SSLv3" -> s -> s.mac().equals("SHA") || s.mac().equals("MD5");
            default -> single(name);
        };
    }

    private static Predicate<Suite> single(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return s -> s.javaName().equals(upper) || s.javaName().equals("TLS_" + upper)
                || s.openSslName().equalsIgnoreCase(name);
    }
}
