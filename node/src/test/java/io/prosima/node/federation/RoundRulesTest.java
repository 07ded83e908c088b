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
}
