package io.jpgpool.cluster;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * A throwaway certificate authority for TLS tests, written to a directory: {@code ca.crt}, a server certificate
 * for {@code localhost}, {@code 127.0.0.1} and {@code ::1} ({@code server.crt}, {@code server.key}), and client
 * certificates whose CN is a user name ({@link #client}). Keys are RSA 2048, PEM PKCS#8, mode 0600 (libpq and
 * PostgreSQL refuse looser ones); client keys also come as DER PKCS#8 ({@code .pk8}) for pgjdbc.
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final Duration VALIDITY = Duration.ofDays(2);

    private final Path dir;
    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final KeyPair serverKeys;
    private final X509Certificate server;

    private TestCertificates(Path dir, String name) throws GeneralSecurityException, IOException {
        this.dir = Files.createDirectories(dir);
        this.name = name;
        caKeys = newKeys();
        ca = sign(new X500Name("CN=" + name), caKeys, null, true, null, null);
        serverKeys = newKeys();
        GeneralNames san = new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")});
        server = sign(new X500Name("CN=localhost"), serverKeys, san, false, KeyPurposeId.id_kp_serverAuth, ca);
        writePem(caCert(), ca, false);
        writePem(serverCert(), server, false);
        writePem(serverKey(), new JcaPKCS8Generator(serverKeys.getPrivate(), null), true);
    }

    /** A new CA named "jpgpool test CA" with a server certificate, in {@code dir}. */
    public static TestCertificates create(Path dir) {
        return create(dir, "jpgpool test CA");
    }

    /** A new CA of its own name (a second one signs certificates the first does not trust). */
    public static TestCertificates create(Path dir, String caName) {
        try {
            return new TestCertificates(dir, caName);
        } catch (GeneralSecurityException | IOException e) {
            throw new ClusterException("could not make test certificates in " + dir + ": " + e, e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path caCert() {
        return dir.resolve("ca.crt");
    }

    public Path serverCert() {
        return dir.resolve("server.crt");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    public X509Certificate caCertificate() {
        return ca;
    }

    /** The server key encrypted with {@code passphrase} (PEM "ENCRYPTED PRIVATE KEY"), as {@code server-enc.key}. */
    public Path serverKeyEncrypted(String passphrase) {
        Path p = dir.resolve("server-enc.key");
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                    .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                    .setRandom(RANDOM).setPassword(passphrase.toCharArray()).build();
            writePem(p, new JcaPKCS8Generator(serverKeys.getPrivate(), encryptor), true);
            return p;
        } catch (OperatorCreationException | IOException e) {
            throw new ClusterException("could not write " + p + ": " + e, e);
        }
    }

    /** The server key in OpenSSL's traditional form ("RSA PRIVATE KEY", PKCS#1), as {@code server-rsa.key}. */
    public Path serverKeyPkcs1() {
        Path p = dir.resolve("server-rsa.key");
        try {
            writePem(p, new JcaMiscPEMGenerator(serverKeys.getPrivate()), true);
            return p;
        } catch (IOException e) {
            throw new ClusterException("could not write " + p + ": " + e, e);
        }
    }

    /** A client certificate for {@code commonName}, signed by this CA. */
    public Client client(String commonName) {
        try {
            KeyPair keys = newKeys();
            X509Certificate cert = sign(new X500Name("CN=" + commonName), keys, null, false,
                    KeyPurposeId.id_kp_clientAuth, ca);
            String base = "client-" + commonName.replaceAll("[^A-Za-z0-9_.-]", "_");
            Client c = new Client(commonName, dir.resolve(base + ".crt"), dir.resolve(base + ".key"),
                    dir.resolve(base + ".pk8"), dir.resolve(base + ".p12"), keys.getPrivate(), cert);
            writePem(c.cert(), cert, false);
            writePem(c.key(), new JcaPKCS8Generator(keys.getPrivate(), null), true);
            Files.write(c.keyDer(), keys.getPrivate().getEncoded());
            restrict(c.keyDer());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", keys.getPrivate(), new char[0], new Certificate[] {cert, ca});
            try (var out = Files.newOutputStream(c.pkcs12())) {
                ks.store(out, new char[0]);
            }
            restrict(c.pkcs12());
            return c;
        } catch (GeneralSecurityException | IOException e) {
            throw new ClusterException("could not make a client certificate for " + commonName + ": " + e, e);
        }
    }

    /**
     * A client's certificate and key.
     *
     * @param keyDer  the key as DER PKCS#8 (pgjdbc's {@code sslkey})
     * @param pkcs12  key and chain as PKCS#12 with an empty password
     */
    public record Client(String commonName, Path cert, Path key, Path keyDer, Path pkcs12, PrivateKey privateKey,
            X509Certificate certificate) {
    }

    @Override
    public String toString() {
        return "TestCertificates[" + name + " in " + dir + "]";
    }

    private static KeyPair newKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        return g.generateKeyPair();
    }

    private X509Certificate sign(X500Name subject, KeyPair keys, GeneralNames san, boolean isCa, KeyPurposeId purpose,
            X509Certificate issuer) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        X500Name issuerName = issuer == null ? subject : new X500Name(issuer.getSubjectX500Principal().getName());
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        if (issuer != null) {
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer));
        }
        if (isCa) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        }
        if (san != null) {
            b.addExtension(Extension.subjectAlternativeName, false, san);
        }
        PrivateKey signer = issuer == null ? keys.getPrivate() : caKeys.getPrivate();
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static void writePem(Path file, Object object, boolean secret) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            if (object instanceof PemObjectGenerator g) {
                w.writeObject(g);
            } else {
                w.writeObject(object);
            }
        }
        Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
        if (secret) {
            restrict(file);
        }
    }

    private static void restrict(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
