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

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
