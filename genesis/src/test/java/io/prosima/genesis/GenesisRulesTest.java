package io.prosima.genesis;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.proto.v1.Genesis;
import io.prosima.proto.wire.WireLimits;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class GenesisRulesTest {
  private static Genesis withBlockBytesMax(long blockBytesMax) throws Exception {
    Genesis g = new GenesisBuilder().validators(4).regions(1).build(new SecureRandom()).genesis();
    return g.toBuilder()
        .setConsensus(g.getConsensus().toBuilder().setBlockBytesMax(blockBytesMax))
        .build();
  }

  @Test
  void aBlockLimitWhoseProposalWouldNotFitOneP2pFrameIsRefused() throws Exception {
    // A block that does not fit a frame throws in broadcast and stops consensus on every node.
    Genesis g = withBlockBytesMax(WireLimits.FRAME_BYTES_MAX);
    GenesisException e = assertThrows(GenesisException.class, () -> GenesisRules.check(g));
    assertTrue(e.getMessage().contains("block_bytes_max"), e.getMessage());
  }

  @Test
  void theLargestAllowedBlockLeavesRoomForItsProposalOrCommitInOneFrame() throws Exception {
    assertDoesNotThrow(
        () -> GenesisRules.check(withBlockBytesMax(GenesisRules.BLOCK_BYTES_MAX_LIMIT)));
    assertTrue(
        GenesisRules.BLOCK_BYTES_MAX_LIMIT + WireLimits.BLOCK_ENVELOPE_BYTES_MAX
            <= WireLimits.FRAME_BYTES_MAX);
  }

  @Test
  void theBuilderWritesTheBlockByteCapAndGenesisRefusesOneBelowATransaction() throws Exception {
    Genesis g =
        new GenesisBuilder()
            .validators(4)
            .blockBytesMax(1L << 20)
            .build(new SecureRandom())
            .genesis();
    assertEquals(1L << 20, g.getConsensus().getBlockBytesMax());
    assertEquals(
        GenesisBuilder.DEFAULT_BLOCK_BYTES_MAX,
        new GenesisBuilder().build(new SecureRandom()).genesis().getConsensus().getBlockBytesMax());
    GenesisException e =
        assertThrows(
            GenesisException.class,
            () ->
                new GenesisBuilder()
                    .blockBytesMax(GenesisBuilder.DEFAULT_TX_BYTES_MAX - 1)
                    .build(new SecureRandom()));
    assertTrue(e.getMessage().contains("block_bytes_max"), e.getMessage());
  }
}
