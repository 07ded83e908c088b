package io.prosima.node.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRulesTest {
  static ByteString key(int first) {
    byte[] k = new byte[32];
    k[0] = (byte) first;
    return ByteString.copyFrom(k);
  }

  @Test
  void theAggregatorRotatesOverTheParticipantsSortedByKeyWhateverTheirOrder() {
    List<ByteString> a = List.of(key(0x90), key(0x01), key(0x40));
    List<ByteString> b = List.of(key(0x40), key(0x90), key(0x01));
    assertEquals(key(0x01), RoundRules.aggregator(a, 0));
    assertEquals(key(0x40), RoundRules.aggregator(a, 1));
    // 0x90 sorts last: keys compare unsigned.
    assertEquals(key(0x90), RoundRules.aggregator(a, 2));
    assertEquals(key(0x01), RoundRules.aggregator(a, 3));
    for (int r = 0; r < 6; r++) {
      assertEquals(RoundRules.aggregator(a, r), RoundRules.aggregator(b, r));
    }
  }

  @Test
  void aRoundClosesWhenAllAreInOrAtTheDeadlineWithAQuorumAndFailsWithout() {
    assertEquals(RoundRules.Decision.CLOSE, RoundRules.decide(4, 4, 3, 10, 100));
    assertEquals(RoundRules.Decision.WAIT, RoundRules.decide(3, 4, 3, 100, 100));
    assertEquals(RoundRules.Decision.CLOSE, RoundRules.decide(3, 4, 3, 101, 100));
    assertEquals(RoundRules.Decision.FAIL, RoundRules.decide(2, 4, 3, 101, 100));
    assertThrows(IllegalArgumentException.class, () -> RoundRules.decide(1, 4, 5, 1, 1));
  }

  @Test
  void theRotationStartsAtTheRoundsAggregatorAndWrapsAround() {
    List<ByteString> ps = List.of(key(0x90), key(0x01), key(0x40));
    assertEquals(List.of(key(0x01), key(0x40), key(0x90)), RoundRules.rotation(ps, 0));
    assertEquals(List.of(key(0x40), key(0x90), key(0x01)), RoundRules.rotation(ps, 1));
    assertEquals(List.of(key(0x90), key(0x01), key(0x40)), RoundRules.rotation(ps, 2));
    assertEquals(RoundRules.rotation(ps, 1), RoundRules.rotation(ps, 4));
    // Round 2: 0x90 aggregates, 0x01 is step 1 (wrapped to the front), 0x40 step 2.
    assertEquals(0, RoundRules.takeoverStep(ps, 2, key(0x90)));
    assertEquals(1, RoundRules.takeoverStep(ps, 2, key(0x01)));
    assertEquals(2, RoundRules.takeoverStep(ps, 2, key(0x40)));
    assertEquals(-1, RoundRules.takeoverStep(ps, 2, key(0x02)));
    assertThrows(IllegalArgumentException.class, () -> RoundRules.rotation(List.of(), 0));
    assertThrows(IllegalArgumentException.class, () -> RoundRules.rotation(ps, -1));
  }

  @Test
  void eachTakeoverStepIsEntitledOneTakeoverPeriodAfterThePreviousOnce() {
    // gN at height 100, deadline 20 blocks, takeover period 5 blocks.
    assertEquals(100, RoundRules.entitledAfter(100, 20, 5, 0));
    assertEquals(125, RoundRules.entitledAfter(100, 20, 5, 1));
    assertEquals(130, RoundRules.entitledAfter(100, 20, 5, 2));
    assertEquals(135, RoundRules.entitledAfter(100, 20, 5, 3));
    // An absurd period never wraps around into an early turn.
    assertEquals(Long.MAX_VALUE, RoundRules.entitledAfter(100, 20, Long.MAX_VALUE / 2, 3));
    assertThrows(IllegalArgumentException.class, () -> RoundRules.entitledAfter(100, 20, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> RoundRules.entitledAfter(100, 0, 5, 1));
    assertThrows(IllegalArgumentException.class, () -> RoundRules.entitledAfter(100, 20, 5, -1));
  }
}
