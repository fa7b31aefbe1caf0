package io.jpgpool.core.recovery;

/** The two stages of online recovery, with the names pgpool's messages give them. */
public enum RecoveryStage {
    FIRST("1st stage"),
    SECOND("2nd stage");

    private final String label;

    RecoveryStage(String label) {
        this.label = label;
    }

    /** {@code 1st stage}, {@code 2nd stage}. */
    public String label() {
        return label;
    }

    /** pgpool's error when the stage command fails (recovery.c, exec_recovery). */
    public String failedMessage() {
        return "executing recovery, execution of command failed at \"" + label + "\"";
    }
}
