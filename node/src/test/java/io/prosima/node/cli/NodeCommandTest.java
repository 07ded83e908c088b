package io.prosima.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import io.prosima.node.TestChains;
import io.prosima.storage.StorageException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCommandTest {
  @TempDir Path dir;

  private LedgerNode startNode() throws Exception {
    TestChains.create(dir, 1);
    return LedgerNode.start(
        NodeConfig.defaults(dir.resolve("validator-0")).withGrpcListen("127.0.0.1:0"));
  }

  @Test
  void aNodeThatStopsOnAFatalErrorExitsWithTheFatalCodeSoASupervisorRestartsIt() throws Exception {
    LedgerNode node = startNode();
    node.fail(new StorageException("injected: disk full"));
    assertEquals(NodeCommand.Start.EXIT_FATAL, NodeCommand.Start.waitForStop(node));
    node.close();
  }

  @Test
  void aNodeStoppedFromOutsideExitsNormally() throws Exception {
    LedgerNode node = startNode();
    node.close();
    assertEquals(0, NodeCommand.Start.waitForStop(node));
  }
}
