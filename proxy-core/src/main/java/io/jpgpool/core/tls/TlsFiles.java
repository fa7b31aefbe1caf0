package io.jpgpool.core.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CRL;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the ssl_* parameters name: PEM certificate chains, private keys (PKCS#8, PKCS#1, SEC1, encrypted or
 * not, the passphrase from {@code ssl_passphrase_command}), CA files and directories and CRLs. Messages are
 * PostgreSQL's and pgpool's (pool_ssl.c).
 */
final class TlsFiles {
    private static final Logger LOG = LoggerFactory.getLogger(TlsFiles.class);
    /** The prompt pgpool and OpenSSL give {@code %p}. */
    static final String PASSPHRASE_PROMPT = "Enter PEM pass phrase:";
    private static final long PASSPHRASE_TIMEOUT_SECONDS = 60;
    /** For the PEM ciphers the JDK lacks (AES/CBC/PKCS7Padding); used directly, never installed globally. */
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private TlsFiles() {
    }

    /** Every certificate of a PEM file, in order (a chain: the server's own first). */
    static List<X509Certificate> certificates(Path file, String what) throws TlsConfigException {
        List<X509Certificate> certs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object o; (o = p.readObject()) != null; ) {
                if (o instanceof X509CertificateHolder h) {
                    certs.add(converter.getCertificate(h));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new TlsConfigException("could not load " + what + " \"" + file + "\": " + reason(e), e);
        }
        if (certs.isEmpty()) {
            throw new TlsConfigException("could not load " + what + " \"" + file + "\": no certificate found");
        }
        return certs;
    }

    /**
     * The private key of {@code file}. An encrypted key needs {@code passphraseCommand}, as in pgpool (which never
     * prompts on a terminal).
     */
    static PrivateKey privateKey(Path file, String passphraseCommand) throws TlsConfigException {
        checkKeyFile(file);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o; (o = p.readObject()) != null; ) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                } else if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                } else if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                    char[] pass = passphrase(file, passphraseCommand);
                    return converter.getPrivateKey(enc.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(pass)));
                } else if (o instanceof PEMEncryptedKeyPair enc) {
                    char[] pass = passphrase(file, passphraseCommand);
                    return converter.getKeyPair(enc.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BC).build(pass)))
                            .getPrivate();
                }
            }
        } catch (TlsConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new TlsConfigException("could not load private key file \"" + file + "\": " + reason(e), e);
        }
        throw new TlsConfigException("could not load private key file \"" + file + "\": no private key found");
    }

    /** PostgreSQL's checks: a plain file, and a warning (pgpool's) when others may read it. */
    private static void checkKeyFile(Path file) throws TlsConfigException {
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            return;
        } catch (IOException e) {
            throw new TlsConfigException("could not access private key file \"" + file + "\": " + reason(e), e);
        }
        if (!attrs.isRegularFile()) {
            throw new TlsConfigException("private key file \"" + file + "\" is not a regular file");
        }
        EnumSet<PosixFilePermission> others = EnumSet.of(PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE);
        boolean rootOwned = attrs.owner().getName().equals("root");
        if (!rootOwned) {
            others.add(PosixFilePermission.GROUP_READ);
        }
        others.retainAll(attrs.permissions());
        if (!others.isEmpty()) {
            LOG.warn("private key file \"{}\" has group or world access; it must have permissions u=rw (0600) or "
                    + "less if owned by the jpgpool user, or u=rw,g=r (0640) or less if owned by root", file);
        }
    }

    private static char[] passphrase(Path keyFile, String command) throws TlsConfigException {
        if (command == null || command.isBlank()) {
            throw new TlsConfigException("private key file \"" + keyFile
                    + "\" cannot be reloaded because it requires a passphrase (set ssl_passphrase_command)");
        }
        return runPassphraseCommand(command).toCharArray();
    }

    /** Runs {@code ssl_passphrase_command} ({@code %p} = prompt, {@code %%} = %) and returns its first line. */
    static String runPassphraseCommand(String template) throws TlsConfigException {
        StringBuilder cmd = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '%' && i + 1 < template.length() && (template.charAt(i + 1) == 'p' || template.charAt(i + 1) == '%')) {
                cmd.append(template.charAt(++i) == 'p' ? PASSPHRASE_PROMPT : "%");
            } else {
                cmd.append(c);
            }
        }
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", cmd.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(PASSPHRASE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new TlsConfigException("command \"" + cmd + "\" failed: no answer within "
                        + PASSPHRASE_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new TlsConfigException("command \"" + cmd + "\" failed");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            return nl < 0 ? text : text.substring(0, nl);
        } catch (IOException e) {
            throw new TlsConfigException("could not execute command \"" + cmd + "\": " + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TlsConfigException("command \"" + cmd + "\" was interrupted", e);
        }
    }

    /** OpenSSL's SSL_CTX_check_private_key: the key must be the certificate's. */
    static void checkKeyMatches(PrivateKey key, X509Certificate cert, Path keyFile) throws TlsConfigException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        try {
            byte[] probe = "jpgpool".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(cert.getPublicKey());
            s.update(probe);
            if (s.verify(sig)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type than the certificate's
        }
        throw new TlsConfigException("check of private key failed: private key file \"" + keyFile
                + "\" does not match the certificate");
    }

    /**
     * A trust manager for the CAs of {@code caFile} and every PEM file of {@code caDir}; with {@code crlFile},
     * certificates are also checked against its revocation lists (OpenSSL's CRL_CHECK | CRL_CHECK_ALL).
     */
    static TrustManagerFactory trust(Path caFile, Path caDir, Path crlFile) throws TlsConfigException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate c : caCertificates(caFile, caDir)) {
                store.setCertificateEntry("ca" + n++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (crlFile == null) {
                tmf.init(store);
                return tmf;
            }
            PKIXBuilderParameters params = new PKIXBuilderParameters(store, new X509CertSelector());
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls(crlFile))));
            PKIXRevocationChecker checker = (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX")
                    .getRevocationChecker();
            checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                    PKIXRevocationChecker.Option.NO_FALLBACK));
            params.addCertPathChecker(checker);
            params.setRevocationEnabled(false); // the checker above does it, from the file only
            tmf.init(new CertPathTrustManagerParameters(params));
            return tmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigException("could not set up certificate verification: " + reason(e), e);
        }
    }

    private static List<X509Certificate> caCertificates(Path caFile, Path caDir) throws TlsConfigException {
        List<X509Certificate> all = new ArrayList<>();
        if (caFile != null) {
            all.addAll(certificates(caFile, "root certificate file"));
        }
        if (caDir != null) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(caDir)) {
                for (Path f : dir) {
                    if (Files.isRegularFile(f)) {
                        try {
                            all.addAll(certificates(f, "root certificate file"));
                        } catch (TlsConfigException e) {
                            LOG.debug("ssl_ca_cert_dir: skipping {}: {}", f, e.getMessage());
                        }
                    }
                }
            } catch (IOException e) {
                throw new TlsConfigException("could not read ssl_ca_cert_dir \"" + caDir + "\": " + reason(e), e);
            }
        }
        return all;
    }

    private static Collection<? extends CRL> crls(Path file) throws TlsConfigException {
        try (var in = Files.newInputStream(file)) {
            Collection<? extends CRL> crls = CertificateFactory.getInstance("X.509").generateCRLs(in);
            if (crls.isEmpty()) {
                throw new TlsConfigException("could not load SSL certificate revocation list file \"" + file
                        + "\": no CRL found");
            }
            return crls;
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigException("could not load SSL certificate revocation list file \"" + file + "\": "
                    + reason(e), e);
        }
    }

    /** {@code ssl_dh_params_file} is checked, not applied: BoringSSL has no DHE and the JDK uses RFC 7919 groups. */
    static void checkDhParams(Path file) throws TlsConfigException {
        try {
            if (!Files.readString(file, StandardCharsets.US_ASCII).contains("-----BEGIN DH PARAMETERS-----")) {
                throw new TlsConfigException("could not load DH parameters file \"" + file + "\": no DH parameters");
            }
        } catch (IOException e) {
            throw new TlsConfigException("could not open DH parameters file \"" + file + "\": " + reason(e), e);
        }
    }

    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        if (t instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (t instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
