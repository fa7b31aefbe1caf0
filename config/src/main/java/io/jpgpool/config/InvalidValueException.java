package io.jpgpool.config;

/** A value that does not parse; the caller adds file, line and parameter to make a ConfigException. */
final class InvalidValueException extends Exception {

    InvalidValueException(String reason) {
        super(reason, null, false, false);
    }

    static InvalidValueException of(String value, String detail) {
        return new InvalidValueException("invalid value \"" + value + "\": " + detail);
    }
}
