package io.prosima.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.genesis.GenesisBuilder;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.TxResponse;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A light client trusts only genesis: an unproven validator change is refused. */
class ValidatorSetFollowerTest {
  @Test
  void noChangesLeaveTheGenesisSetAndAnUnprovenChangeIsRefused() throws Exception {
    Genesis g = new GenesisBuilder().validators(4).regions(1).build(new SecureRandom()).genesis();
    var none = ValidatorSetFollower.follow(g, List.of());
    assertNull(none.problem());
    assertEquals(0, none.sets().changes());
    assertEquals(4, none.sets().at(1_000).size());
    var forged = ValidatorSetFollower.follow(g, List.of(TxResponse.getDefaultInstance()));
    assertNotNull(forged.problem());
    assertNull(forged.sets());
    assertTrue(forged.problem().startsWith("validator change at height 0"), forged.problem());
  }
}
