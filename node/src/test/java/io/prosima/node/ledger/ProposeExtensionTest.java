package io.prosima.node.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.consensus.bft.Event;
import io.prosima.consensus.bft.Step;
import io.prosima.consensus.mempool.Mempool;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.KeyFile;
import io.prosima.storage.RocksDbLedgerStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A validator still fetching the round's proposal waits once more before prevoting nil. */
class ProposeExtensionTest {
  private record Scheduled(Event.TimeoutFired timeout, long delayMs) {}

  @TempDir Path dir;
  private GenesisBuilder.Result chain;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final List<GossipBody> sent = new ArrayList<>();
  private final List<Scheduled> scheduled = new ArrayList<>();
  private final List<ByteString> askedAbout = new ArrayList<>();
  private boolean fetching;

  @BeforeEach
  void chain() throws Exception {
    chain =
        new GenesisBuilder()
            .chainId("extension")
            .validators(4)
            .regions(1)
            .clients(1, 1, 1)
            .basePort(20_000)
            .build(new SecureRandom());
  }

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  /** A replica of a validator that does not propose (1, 0), started: it waits in PROPOSE. */
  private ConsensusReplica startedNonProposer() throws Exception {
    for (KeyFile key : chain.validatorKeys()) {
      sent.clear();
      scheduled.clear();
      RocksDbLedgerStore store = RocksDbLedgerStore.open(dir.resolve(key.getName()));
      opened.add(store);
      LedgerCore core = new LedgerCore(chain.genesis(), store, new Mempool(1_000, 1L << 20));
      TxAdmission admission = new TxAdmission(core, 1);
      opened.add(admission);
      ConsensusReplica replica =
          new ConsensusReplica(
              core,
              admission,
              key,
              ConsensusDriver.bftConfig(chain.genesis().getChainId()),
              Clock.systemUTC(),
              new ConsensusReplica.Outputs() {
                @Override
                public void broadcast(GossipBody body) {
                  sent.add(body);
                }

                @Override
                public void schedule(Event.TimeoutFired timeout, long delayMs) {
                  scheduled.add(new Scheduled(timeout, delayMs));
                }
              },
              0);
      replica.watchFetches(
          (h, r, proposer) -> {
            askedAbout.add(proposer);
            return fetching && h == 1 && r == 0;
          });
      replica.start(0);
      if (proposeTimeout() != null) {
        return replica;
      }
    }
    throw new IllegalStateException("every validator proposes (1, 0)?");
  }

  private Event.TimeoutFired proposeTimeout() {
    for (Scheduled s : scheduled) {
      if (s.timeout().step() == Step.PROPOSE) {
        return s.timeout();
      }
    }
    return null;
  }

  private boolean prevoted() {
    return sent.stream().anyMatch(b -> b.hasConsensus() && b.getConsensus().hasVote());
  }

  @Test
  void aProposeTimeoutFiringMidFetchIsPutOffOnceThenPrevotesNil() throws Exception {
    fetching = true;
    ConsensusReplica replica = startedNonProposer();
    Event.TimeoutFired timeout = proposeTimeout();
    scheduled.clear();

    replica.onTimeout(timeout, 3_000_000_000L);

    assertFalse(prevoted(), "no nil prevote while the proposal is being fetched");
    assertEquals(Step.PROPOSE, replica.step());
    assertEquals(List.of(new Scheduled(timeout, ConsensusReplica.PROPOSE_EXTENSION_MS)), scheduled);
    assertFalse(askedAbout.isEmpty());
    assertTrue(
        chain.genesis().getValidatorsList().stream()
            .anyMatch(v -> v.getPublicKey().equals(askedAbout.get(0))),
        "asked about the round's scheduled proposer");

    // Once only: a proposer whose transactions never come costs one extension per round.
    replica.onTimeout(timeout, 6_000_000_000L);

    assertTrue(prevoted(), "prevotes nil after the one extension");
    assertEquals(Step.PREVOTE, replica.step());
  }

  @Test
  void withNoProposalBeingFetchedTheProposeTimeoutPrevotesNilAtOnce() throws Exception {
    fetching = false;
    ConsensusReplica replica = startedNonProposer();
    Event.TimeoutFired timeout = proposeTimeout();
    assertNotNull(timeout);

    replica.onTimeout(timeout, 3_000_000_000L);

    assertTrue(prevoted());
    assertEquals(Step.PREVOTE, replica.step());
  }
}
