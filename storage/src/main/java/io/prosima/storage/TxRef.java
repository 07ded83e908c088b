package io.prosima.storage;

/** A committed transaction found through an index: its hash and where it lives. */
public record TxRef(byte[] txHash, long height, int index) {}
