package io.prosima.storage;

import java.util.List;

/** One page of an index scan; {@code nextToken} is empty when there is nothing more. */
public record TxPage(List<TxRef> txs, byte[] nextToken) {}
