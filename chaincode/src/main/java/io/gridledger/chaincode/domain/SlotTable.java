package io.gridledger.chaincode.domain;

import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which slots of an offer are busy, and with which replica attempt ({@code jobId#replica#attempt}). One ledger key
 * per offer, written only by matching (taking a slot) and by returning slots to the market, never by the offer's
 * owner or by settlement.
 */
public record SlotTable(SortedMap<Integer, String> busy) {

    public static final SlotTable EMPTY = new SlotTable(new TreeMap<>());

    public SlotTable {
        busy = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(busy == null ? Map.of() : busy));
    }

    /** Free slots among the offer's first {@code slots} (slots beyond a reduced capacity do not count). */
    public int freeCount(int slots) {
        int busyWithin = (int) busy.keySet().stream().filter(slot -> slot < slots).count();
        return slots - busyWithin;
    }

    public OptionalInt firstFree(int slots) {
        for (int slot = 0; slot < slots; slot++) {
            if (!busy.containsKey(slot)) {
                return OptionalInt.of(slot);
            }
        }
        return OptionalInt.empty();
    }

    public SlotTable occupy(int slot, String tag) {
        if (busy.containsKey(slot)) {
            throw new IllegalStateException("slot " + slot + " is already held by " + busy.get(slot));
        }
        var next = new TreeMap<>(busy);
        next.put(slot, tag);
        return new SlotTable(next);
    }

    public SlotTable release(int slot) {
        var next = new TreeMap<>(busy);
        next.remove(slot);
        return new SlotTable(next);
    }

    public boolean isEmpty() {
        return busy.isEmpty();
    }
}
