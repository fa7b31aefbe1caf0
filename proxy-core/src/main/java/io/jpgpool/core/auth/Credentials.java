package io.jpgpool.core.auth;

import io.jpgpool.protocol.auth.Md5Auth;
import io.jpgpool.protocol.auth.ScramSecret;

/**
 * What jpgpool knows that lets it log into a backend as {@code user}: a cleartext password, an MD5 hash, or a
 * SCRAM ClientKey recovered from the client's proof together with the SCRAM secret it belongs to. Any of them
 * may be missing; a backend that asks for something we lack is refused with a clear error.
 */
public record Credentials(String user, String password, String md5Hash, byte[] scramClientKey,
        ScramSecret scramSecret) {

    public static Credentials none(String user) {
        return new Credentials(user, null, null, null, null);
    }

    public static Credentials password(String user, String password) {
        return new Credentials(user, password, null, null, null);
    }

    public boolean canAnswer(AuthMethod method) {
        return switch (method) {
            case TRUST -> true;
            case CLEARTEXT -> password != null;
            case MD5 -> password != null || md5Hash != null;
            case SCRAM_SHA_256 -> password != null || (scramClientKey != null && scramSecret != null);
        };
    }

    /** The {@code md5...} hash of the password, from the hash itself or computed from the password. */
    public String md5HashOrComputed() {
        return md5Hash != null ? md5Hash : Md5Auth.encrypt(user, password);
    }

    /** Merges what two proofs taught us (e.g. a pooled connection's client re-authenticated another way). */
    public Credentials or(Credentials other) {
        if (other == null) {
            return this;
        }
        return new Credentials(user,
                password != null ? password : other.password,
                md5Hash != null ? md5Hash : other.md5Hash,
                scramClientKey != null ? scramClientKey : other.scramClientKey,
                scramSecret != null ? scramSecret : other.scramSecret);
    }
}
