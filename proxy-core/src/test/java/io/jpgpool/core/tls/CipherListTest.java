package io.jpgpool.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ssl_ciphers in OpenSSL's syntax, selected from a provider's suites. */
class CipherListTest {
    static final List<String> AVAILABLE = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "SSL_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_DH_anon_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_NULL_SHA256",
            "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
    static final List<String> TLS13 = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    static List<String> tls12(String cipherString) {
        List<String> all = CipherList.select(cipherString, AVAILABLE);
        assertThat(all.subList(0, 3)).as("TLS 1.3 suites come first, whatever the string").isEqualTo(TLS13);
        return all.subList(3, all.size());
    }

    @Test
    void pgpoolsDefaultTakesEverythingButAnonymousAndNullWith3desLast() {
        assertThat(tls12("HIGH:MEDIUM:+3DES:!aNULL")).containsExactly(
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA",
                "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA");
    }

    @Test
    void intersectionsRemovalsAndBans() {
        assertThat(tls12("ECDHE+AESGCM")).containsExactly("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
        assertThat(tls12("HIGH:!kRSA:!DHE:-AES128")).containsExactly("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        // "-" removes for now, "!" for good
        assertThat(tls12("CHACHA20:-CHACHA20:CHACHA20")).containsExactly("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        assertThat(tls12("!CHACHA20:CHACHA20:AES256")).containsExactly("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_256_CBC_SHA");
        assertThat(tls12("ALL")).doesNotContain("TLS_RSA_WITH_NULL_SHA256");
        assertThat(tls12("aNULL")).containsExactly("TLS_DH_anon_WITH_AES_128_CBC_SHA");
    }

    @Test
    void singleSuitesByOpenSslOrIanaNameAndSeparators() {
        assertThat(tls12("ECDHE-RSA-AES256-GCM-SHA384, AES128-SHA TLS_RSA_WITH_AES_256_CBC_SHA @STRENGTH"))
                .containsExactly("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_256_CBC_SHA");
        assertThat(tls12("ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-SHA:DHE-RSA-AES256-GCM-SHA384"))
                .containsExactly("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                        "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");
    }

    @Test
    void aStringThatSelectsNothingIsAnError() {
        assertThatThrownBy(() -> CipherList.select("RC4:NOSUCH", AVAILABLE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("could not set the cipher list (no valid ciphers available): \"RC4:NOSUCH\"");
    }
}
