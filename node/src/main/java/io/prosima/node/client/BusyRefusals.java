package io.prosima.node.client;

import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.v1.SubmitResponse;
import java.util.List;

/**
 * A busy node admits a prefix of a batch and refuses the rest with {@code REFUSAL_MEMPOOL_FULL}
 * ("retry later"); a client sends the rest again from the first refused transaction, nonces still
 * in order.
 */
public final class BusyRefusals {
  private BusyRefusals() {}

  /** The index of the first transaction a busy node refused, or -1. */
  public static int firstBusy(List<SubmitResponse> results) {
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).getCode() == RefusalCode.REFUSAL_MEMPOOL_FULL) {
        return i;
      }
    }
    return -1;
  }
}
