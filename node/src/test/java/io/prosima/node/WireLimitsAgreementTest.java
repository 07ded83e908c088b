package io.prosima.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prosima.p2p.P2pConfig;
import io.prosima.proto.wire.WireLimits;
import org.junit.jupiter.api.Test;

/** Genesis sizes blocks by {@link WireLimits}; p2p frames by its own config. They must agree. */
class WireLimitsAgreementTest {
  @Test
  void genesisAndP2pAgreeOnTheLargestFrame() {
    assertEquals(P2pConfig.FRAME_BYTES_MAX_DEFAULT, WireLimits.FRAME_BYTES_MAX);
  }
}
