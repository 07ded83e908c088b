package io.prosima.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.node.NodeConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeSettingsTest {
  @TempDir Path home;

  private NodeSettings.Loaded load(Map<String, String> env, Map<String, String> cli)
      throws ConfigException {
    return NodeSettings.load(home, null, env, cli);
  }

  private void file(String toml) throws Exception {
    Files.writeString(home.resolve(NodeSettings.CONFIG_FILE), toml);
  }

  private String refusal(Map<String, String> env, Map<String, String> cli) {
    return assertThrows(ConfigException.class, () -> load(env, cli)).getMessage();
  }

  @Test
  void withNoFileNoEnvironmentAndNoOptionsTheDefaultsApply() throws Exception {
    NodeSettings.Loaded loaded = load(Map.of(), Map.of());
    assertEquals(NodeConfig.defaults(home), loaded.config());
    assertTrue(loaded.sources().isEmpty());
  }

  @Test
  void theCommandLineBeatsTheEnvironmentWhichBeatsTheFileWhichBeatsTheDefaults() throws Exception {
    file(
        """
        p2pListen = "0.0.0.0:26656"
        grpcListen = "10.0.0.1:26657"
        mempoolTxsMax = 1_000
        commitWaitMs = 5000
        """);
    NodeSettings.Loaded loaded =
        load(
            Map.of("PROSIMA_P2P_LISTEN", "127.0.0.2:26656", "PROSIMA_MEMPOOL_TXS_MAX", "2000"),
            Map.of("p2pListen", "127.0.0.3:26656"));
    NodeConfig c = loaded.config();
    assertEquals("127.0.0.3:26656", c.p2pListen());
    assertEquals(2000, c.mempoolTxsMax());
    assertEquals("10.0.0.1:26657", c.grpcListen());
    assertEquals(5000, c.commitWaitMs());
    assertEquals(NodeConfig.DEFAULT_SUBMIT_BATCH_TXS_MAX, c.submitBatchTxsMax());
    assertEquals("command line", loaded.sources().get(ConfigKey.P2P_LISTEN));
    assertEquals(
        "environment PROSIMA_MEMPOOL_TXS_MAX", loaded.sources().get(ConfigKey.MEMPOOL_TXS_MAX));
    assertEquals(
        "file " + home.resolve(NodeSettings.CONFIG_FILE),
        loaded.sources().get(ConfigKey.COMMIT_WAIT_MS));
    assertNull(loaded.sources().get(ConfigKey.SUBMIT_BATCH_TXS_MAX));
  }

  @Test
  void anEmptyAddressMeansUnsetSoTheGenesisAddressApplies() throws Exception {
    file("p2pListen = \"0.0.0.0:26656\"\n");
    assertNull(load(Map.of("PROSIMA_P2P_LISTEN", ""), Map.of()).config().p2pListen());
  }

  @Test
  void theP2pLimitsReachTheTransportConfig() throws Exception {
    file(
        """
        p2pFramesPerSecondPerPeer = 500
        p2pOutboundBytesMaxPerPeer = 134217728
        p2pStatusIntervalMs = 250
        p2pReconnectMinMs = 200
        p2pReconnectMaxMs = 30000
        metricsListen = "0.0.0.0:9464"
        metricsNonLoopbackAllowed = true
        """);
    NodeConfig c = load(Map.of(), Map.of()).config();
    assertEquals(500, c.p2p().framesPerSecondPerPeer());
    assertEquals(134217728L, c.p2p().outboundBytesMaxPerPeer());
    assertEquals(250, c.p2p().statusIntervalMs());
    assertEquals(200, c.p2p().reconnectMinMs());
    assertEquals(30000, c.p2p().reconnectMaxMs());
    assertEquals("0.0.0.0:9464", c.metricsListen());
    assertTrue(c.metricsNonLoopbackAllowed());
  }

  @Test
  void aFileNamedWithConfigIsReadInsteadOfTheHomeOne() throws Exception {
    file("mempoolTxsMax = 1000\n");
    Path other = home.resolve("other.toml");
    Files.writeString(other, "mempoolTxsMax = 3000\n");
    assertEquals(3000, NodeSettings.load(home, other, Map.of(), Map.of()).config().mempoolTxsMax());
  }

  @Test
  void aMissingConfigFileIsRefused() {
    Path missing = home.resolve("missing.toml");
    String m =
        assertThrows(
                ConfigException.class, () -> NodeSettings.load(home, missing, Map.of(), Map.of()))
            .getMessage();
    assertEquals("node config: " + missing + " does not exist or is not a file", m);
  }

  @Test
  void anUnknownKeyInTheFileIsRefusedNamingItAndTheKeyItResembles() throws Exception {
    file("p2p_listen = \"0.0.0.0:26656\"\n");
    assertEquals(
        "node config: unknown key 'p2p_listen' in "
            + home.resolve(NodeSettings.CONFIG_FILE)
            + " (did you mean p2pListen?)",
        refusal(Map.of(), Map.of()));
  }

  @Test
  void aTableOrAnUnrelatedKeyIsRefused() throws Exception {
    file("[p2p]\nlisten = \"0.0.0.0:1\"\n");
    assertTrue(refusal(Map.of(), Map.of()).startsWith("node config: unknown key 'p2p' in "));
  }

  @Test
  void outOfRangeAndMistypedValuesAreRefusedNamingTheKeyAndTheRange() throws Exception {
    file("mempoolTxsMax = 0\n");
    assertEquals(
        "node config: mempoolTxsMax in "
            + home.resolve(NodeSettings.CONFIG_FILE)
            + " must be an integer in 1..10000000 (transactions), got 0",
        refusal(Map.of(), Map.of()));
    file("p2pListen = 26656\n");
    assertTrue(
        refusal(Map.of(), Map.of()).contains("p2pListen in ")
            && refusal(Map.of(), Map.of()).contains("must be host:port"));
    file("commitWaitMs = \"30000\"\n");
    assertTrue(refusal(Map.of(), Map.of()).contains("commitWaitMs in "));
    file("metricsNonLoopbackAllowed = \"yes\"\n");
    assertTrue(refusal(Map.of(), Map.of()).contains("must be true or false"));
    file("grpcListen = \"no-port\"\n");
    assertTrue(refusal(Map.of(), Map.of()).endsWith("got 'no-port'"));
    file("grpcListen = \"host:70000\"\n");
    assertTrue(refusal(Map.of(), Map.of()).contains("grpcListen in "));
  }

  @Test
  void aKeyGivenTwiceInTheFileIsRefusedRatherThanOneSilentlyWinning() throws Exception {
    file("mempoolTxsMax = 1000\nmempoolTxsMax = 2000\n");
    String m = refusal(Map.of(), Map.of());
    assertEquals(
        "node config: " + home.resolve("node.toml") + " is not valid TOML: Duplicate key", m);
  }

  @Test
  void aBadEnvironmentValueIsRefusedNamingTheVariable() {
    assertEquals(
        "node config: verifyThreads from environment PROSIMA_VERIFY_THREADS must be an integer in"
            + " 1..256 (threads), got 'many'",
        refusal(Map.of("PROSIMA_VERIFY_THREADS", "many"), Map.of()));
    assertTrue(
        refusal(Map.of("PROSIMA_P2P_STATUS_INTERVAL_MS", "5000"), Map.of())
            .contains("p2pStatusIntervalMs from environment PROSIMA_P2P_STATUS_INTERVAL_MS"));
  }

  @Test
  void anUnknownOrBadCommandLineKeyIsRefused() {
    assertEquals(
        "node config: unknown key 'mempoolMax' on the command line (prosima node"
            + " example-config lists every key)",
        refusal(Map.of(), Map.of("mempoolMax", "5")));
    assertTrue(
        refusal(Map.of(), Map.of("p2pListen", "::1:5"))
            .startsWith("node config: p2pListen from command line must be host:port"));
  }

  @Test
  void invalidTomlIsOneLineNamingTheFile() throws Exception {
    file("mempoolTxsMax = = 3\n");
    String m = refusal(Map.of(), Map.of());
    assertTrue(m.startsWith("node config: " + home.resolve("node.toml") + " is not valid TOML"), m);
    assertTrue(!m.contains("\n"), m);
  }

  @Test
  void theLaunchersOwnVariablesAreIgnoredAndOtherProsimaVariablesWarned() throws Exception {
    NodeSettings.Loaded loaded =
        load(
            Map.of(
                "PROSIMA_JAVA_OPTS", "-Xmx1g", "PROSIMA_CACHE", "/tmp", "PROSIMA_P2P_LISTN", "x"),
            Map.of());
    assertEquals(
        List.of("environment variable PROSIMA_P2P_LISTN is not a node config key; ignored"),
        loaded.warnings());
    assertEquals(NodeConfig.defaults(home), loaded.config());
  }

  @Test
  void everyKeyHasItsOwnEnvironmentVariableFollowingTheNamingRule() {
    Set<String> names = new HashSet<>();
    for (ConfigKey k : ConfigKey.values()) {
      assertTrue(names.add(k.envName()), k.envName());
      assertTrue(k.envName().matches("PROSIMA_[A-Z0-9_]+"), k.envName());
    }
    assertEquals("PROSIMA_P2P_LISTEN", ConfigKey.P2P_LISTEN.envName());
    assertEquals(
        "PROSIMA_FRAGMENT_QUOTA_BYTES_PER_IDENTITY",
        ConfigKey.FRAGMENT_QUOTA_BYTES_PER_IDENTITY.envName());
  }

  @Test
  void limitsThatCannotWorkTogetherAreRefusedAtStartNamingTheKeys() throws Exception {
    file("p2pReconnectMinMs = 2000\np2pReconnectMaxMs = 1000\n");
    NodeConfig c = load(Map.of(), Map.of()).config();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.check(1));
    assertEquals("node config: p2pReconnectMaxMs must be >= p2pReconnectMinMs", e.getMessage());
  }

  /**
   * The committed example documents every key with its default: uncommenting all of it loads, and
   * gives the defaults (but for the two that depend on the machine).
   */
  @Test
  void theExampleFileDocumentsEveryKeyWithItsDefault() throws Exception {
    String example;
    try (InputStream in = getClass().getResourceAsStream("/node.example.toml")) {
      example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder uncommented = new StringBuilder();
    for (String line : example.split("\n")) {
      if (line.matches("# [a-zA-Z0-9]+ = .*")) {
        uncommented.append(line.substring(2)).append('\n');
      }
    }
    for (ConfigKey k : ConfigKey.values()) {
      assertTrue(
          uncommented.toString().contains("\n" + k.key() + " = ")
              || uncommented.toString().startsWith(k.key() + " = "),
          "node.example.toml lacks " + k.key());
    }
    file(uncommented.toString());
    NodeConfig fromExample = load(Map.of(), Map.of()).config();
    NodeConfig.Builder expected = NodeConfig.defaults(home).toBuilder();
    expected.mempoolBytesMax = fromExample.mempoolBytesMax();
    expected.verifyThreads = fromExample.verifyThreads();
    assertEquals(expected.build(), fromExample);
  }
}
