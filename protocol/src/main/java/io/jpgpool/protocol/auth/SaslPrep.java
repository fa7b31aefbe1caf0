package io.jpgpool.protocol.auth;

import com.ongres.stringprep.Tables;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * SASLprep (RFC 4013) of a password the way PostgreSQL's {@code pg_saslprep} does it, so that jpgpool derives the
 * very same SCRAM keys as the server for every password, not only for plain ASCII ones.
 *
 * <p>PostgreSQL differs from a strict SASLprep in ways that change the hash: a password that is not UTF-8, is
 * empty after mapping, or holds prohibited characters is used as raw bytes instead of being refused; pure ASCII
 * is used as it is (even with control characters); and the prohibited and bidi checks look at the mapped
 * characters <em>before</em> NFKC. The character tables (RFC 3454) come from the ongres stringprep library.
 */
final class SaslPrep {
    private SaslPrep() {
    }

    /** The bytes to feed Hi(): the prepared password as UTF-8, or the input itself when PostgreSQL would fall back. */
    static byte[] prepare(byte[] password) {
        if (isAscii(password)) {
            return password;
        }
        String text = decodeUtf8OrNull(password);
        if (text == null) {
            return password;
        }
        int[] mapped = map(text);
        if (mapped.length == 0 || isProhibited(mapped) || !passesBidiCheck(mapped)) {
            return password;
        }
        String normalized = Normalizer.normalize(new String(mapped, 0, mapped.length), Normalizer.Form.NFKC);
        return normalized.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] prepare(String password) {
        return prepare(password.getBytes(StandardCharsets.UTF_8));
    }

    /** Step 1: non-ASCII spaces become U+0020, "commonly mapped to nothing" characters go away. */
    private static int[] map(String text) {
        return text.codePoints()
                .filter(c -> Tables.prohibitionNonAsciiSpace(c) || !Tables.mapToNothing(c))
                .map(c -> Tables.prohibitionNonAsciiSpace(c) ? ' ' : c)
                .toArray();
    }

    /** Step 3: the SASLprep prohibited-output tables plus code points unassigned in Unicode 3.2. */
    private static boolean isProhibited(int[] codePoints) {
        for (int c : codePoints) {
            if (Tables.prohibitionNonAsciiSpace(c)
                    || Tables.prohibitionAsciiControl(c)
                    || Tables.prohibitionNonAsciiControl(c)
                    || Tables.prohibitionPrivateUse(c)
                    || Tables.prohibitionNonCharacterCodePoints(c)
                    || Tables.prohibitionSurrogateCodes(c)
                    || Tables.prohibitionInappropriatePlainText(c)
                    || Tables.prohibitionInappropriateCanonicalRepresentation(c)
                    || Tables.prohibitionChangeDisplayProperties(c)
                    || Tables.prohibitionTaggingCharacters(c)
                    || Tables.unassignedCodePoints(c)) {
                return true;
            }
        }
        return false;
    }

    /** Step 4 (RFC 3454 section 6): right-to-left text has no left-to-right characters and starts and ends RTL. */
    private static boolean passesBidiCheck(int[] codePoints) {
        boolean anyRandAL = false;
        boolean anyL = false;
        for (int c : codePoints) {
            anyRandAL |= Tables.bidirectionalPropertyRorAL(c);
            anyL |= Tables.bidirectionalPropertyL(c);
        }
        if (!anyRandAL) {
            return true;
        }
        return !anyL
                && Tables.bidirectionalPropertyRorAL(codePoints[0])
                && Tables.bidirectionalPropertyRorAL(codePoints[codePoints.length - 1]);
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static String decodeUtf8OrNull(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
