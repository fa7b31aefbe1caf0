package io.jpgpool.pcp.client;

import java.util.Arrays;

/**
 * libpcp's PCPResultInfo: a status and numbered slots, each an int or a data record. A result starts with one
 * empty slot; {@code ArraySize} replies set the number of slots and the records fill them in order.
 */
public final class PcpResult {
    /** libpcp's ResultStateType, in its order (COMMAND_OK is 0, the state of a fresh result). */
    public enum Status { COMMAND_OK, BAD_RESPONSE, BACKEND_ERROR, INCOMPLETE, ERROR }

    private Status status = Status.COMMAND_OK;
    private Object[] data = new Object[1];
    private int[] dataLength = new int[1];
    private boolean[] isInt = new boolean[1];
    private int[] ints = new int[1];
    private int nextFill;

    public Status status() {
        return status;
    }

    void status(Status s) {
        status = s;
    }

    public int slotCount() {
        return data.length;
    }

    /** A count of 0 leaves the single empty slot (setResultSlotCount ignores it). */
    void slotCount(int n) {
        if (n > 0) {
            data = Arrays.copyOf(data, n);
            dataLength = Arrays.copyOf(dataLength, n);
            isInt = Arrays.copyOf(isInt, n);
            ints = Arrays.copyOf(ints, n);
        }
    }

    void resetFill() {
        nextFill = 0;
    }

    /** False when every slot is filled already. */
    boolean fillNext(Object value, int length) {
        if (nextFill >= data.length) {
            return false;
        }
        data[nextFill] = value;
        dataLength[nextFill] = length;
        isInt[nextFill] = false;
        nextFill++;
        return true;
    }

    void setInt(int slot, int value) {
        isInt[slot] = true;
        ints[slot] = value;
        dataLength[slot] = 0;
        data[slot] = null;
    }

    /** The record in a slot, or null for an int slot or an unfilled one. */
    public Object data(int slot) {
        return slot < data.length && !isInt[slot] ? data[slot] : null;
    }

    public int intData(int slot) {
        return slot < data.length && isInt[slot] ? ints[slot] : 0;
    }

    public int dataLength(int slot) {
        return slot < data.length ? dataLength[slot] : 0;
    }

    /** pcp_result_is_empty: one slot, not an int, no data; the tools then print "-- Command Successful". */
    public boolean isEmpty() {
        return data.length <= 1 && !isInt[0] && dataLength[0] <= 0;
    }
}
