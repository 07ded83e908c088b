package io.prosima.node;

import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;

/** Creates single-validator chains on disk for node tests. */
public final class TestChains {
  private TestChains() {}

  public static GenesisBuilder.Result create(Path dir, int hospitals) throws Exception {
    GenesisBuilder.Result chain =
        new GenesisBuilder()
            .chainId("test-chain")
            .validators(1)
            .regions(1)
            .clients(hospitals, 1, 1)
            .basePort(freePort())
            .build(new SecureRandom());
    ChainLayout.write(dir, chain);
    return chain;
  }

  /**
   * A random base port for a multi-validator chain, below Linux's ephemeral range (32768 and up),
   * where outgoing connections take their local ports and could collide with a node's listener.
   */
  public static int basePortBelowEphemeral() {
    return 20_000 + new SecureRandom().nextInt(12_000);
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
