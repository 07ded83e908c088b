package io.prosima.node.fragments;

import static io.prosima.node.fragments.FragmentChain.HOSPITAL_0;
import static io.prosima.node.fragments.FragmentChain.HOSPITAL_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Garbage collection, run by hand (the scheduled pass is set an hour apart). */
class FragmentGcTest {
  private static final long TTL_MS = 500;

  @TempDir Path dir;
  private FragmentChain c;

  @BeforeEach
  void start() throws Exception {
    c = new FragmentChain(dir, cfg -> cfg.withFragments(1L << 30, TTL_MS, 3_600_000));
  }

  @AfterEach
  void stop() {
    c.close();
  }

  private long stored() {
    return c.node.fragments().fragmentsStored();
  }

  @Test
  void pendingFragmentsOfAnImageNobodyAnchoredGoOnceOlderThanTheTtl() throws Exception {
    c.put(HOSPITAL_0, "lost", 0, 3, 10);
    c.put(HOSPITAL_0, "kept", 0, 2, 10);
    c.anchor(HOSPITAL_0, "kept");
    assertEquals(0, c.node.fragments().collectGarbage(), "nothing is old yet");
    Thread.sleep(TTL_MS + 100);
    assertEquals(3, c.node.fragments().collectGarbage());
    assertEquals(2, stored());
    assertEquals(2, c.get(HOSPITAL_0, "kept", 0, 2).getFragmentsCount());
  }

  @Test
  void anExpiredClaimLetsAnotherUploaderTakeTheId() throws Exception {
    c.put(HOSPITAL_0, "contested", 0, 1, 10);
    Thread.sleep(TTL_MS + 100);
    c.put(HOSPITAL_1, "contested", 0, 1, 10);
    FragmentChain.assertRefused(
        io.grpc.Status.Code.PERMISSION_DENIED, () -> c.put(HOSPITAL_0, "contested", 0, 1, 10));
  }

  @Test
  void fragmentsOfAnImageAnchoredBySomeoneElseGoAtOnce() throws Exception {
    c.put(HOSPITAL_1, "taken", 0, 2, 10);
    c.anchor(HOSPITAL_0, "taken"); // anchored without fragments on this node
    assertEquals(2, c.node.fragments().collectGarbage());
    assertEquals(0, stored());
  }

  @Test
  void fragmentsRetiredByARekeyGoAndTheNewEpochStays() throws Exception {
    c.put(HOSPITAL_0, "rk", 0, 2, 10);
    c.anchor(HOSPITAL_0, "rk");
    c.put(HOSPITAL_0, "rk", 1, 3, 10);
    assertEquals(0, c.node.fragments().collectGarbage(), "the rekey has not committed");
    c.rekey(HOSPITAL_0, "rk", 1);
    assertEquals(2, c.node.fragments().collectGarbage());
    assertEquals(3, stored());
    assertEquals(0, c.get(HOSPITAL_0, "rk", 0, 2).getFragmentsCount());
    assertEquals(3, c.get(HOSPITAL_0, "rk", 1, 3).getFragmentsCount());
  }
}
