package io.prosima.node.config;

import io.prosima.node.NodeConfig;
import io.prosima.node.P2pTuning;
import io.prosima.p2p.P2pConfig;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Every setting an operator may give a node, by the name used in the config file, with its kind,
 * range and unit. The names are those of {@link NodeConfig}'s components, so an error from a
 * start-up check names the same key the operator wrote. The environment variable of a key is {@code
 * PROSIMA_} followed by the key in upper case with an underscore before each capital letter ({@code
 * p2pListen} → {@code PROSIMA_P2P_LISTEN}).
 */
public enum ConfigKey {
  GRPC_LISTEN(
      "grpcListen",
      Kind.ADDRESS,
      "host:port the gRPC endpoint listens on; unset: the validator's genesis grpc_address",
      (b, v) -> b.grpcListen = (String) v),
  P2P_LISTEN(
      "p2pListen",
      Kind.ADDRESS,
      "host:port the p2p transport listens on; unset: the validator's genesis p2p_address",
      (b, v) -> b.p2pListen = (String) v),
  METRICS_LISTEN(
      "metricsListen",
      Kind.ADDRESS,
      "host:port of the Prometheus endpoint (plain HTTP, no authentication); unset: off",
      (b, v) -> b.metricsListen = (String) v),
  METRICS_NON_LOOPBACK_ALLOWED(
      "metricsNonLoopbackAllowed",
      Kind.BOOLEAN,
      "true lets metricsListen be an address other than loopback",
      (b, v) -> b.metricsNonLoopbackAllowed = (Boolean) v),
  MEMPOOL_TXS_MAX(
      "mempoolTxsMax",
      1,
      10_000_000,
      "transactions",
      "pending transactions kept at most",
      (b, v) -> b.mempoolTxsMax = Math.toIntExact(v)),
  MEMPOOL_BYTES_MAX(
      "mempoolBytesMax",
      1L << 20,
      1L << 40,
      "bytes",
      "pending transaction bytes (wire size) kept at most",
      (b, v) -> b.mempoolBytesMax = v),
  SUBMIT_BATCH_TXS_MAX(
      "submitBatchTxsMax",
      1,
      1_000_000,
      "transactions",
      "transactions accepted in one SubmitBatch call",
      (b, v) -> b.submitBatchTxsMax = Math.toIntExact(v)),
  COMMIT_WAIT_MS(
      "commitWaitMs",
      1,
      600_000,
      "ms",
      "how long a submission that waits for its commit waits before answering pending",
      (b, v) -> b.commitWaitMs = v),
  VERIFY_THREADS(
      "verifyThreads",
      1,
      256,
      "threads",
      "threads that verify transaction signatures",
      (b, v) -> b.verifyThreads = Math.toIntExact(v)),
  CLIENT_PENDING_BLOCKS(
      "clientPendingBlocks",
      1,
      1_000,
      "blocks",
      "clients' transactions are refused (busy, retry later) while the mempool holds this many"
          + " blocks' worth",
      (b, v) -> b.clientPendingBlocks = Math.toIntExact(v)),
  BLOCK_SUBSCRIBERS_MAX(
      "blockSubscribersMax",
      1,
      100_000,
      "streams",
      "concurrent SubscribeBlocks streams",
      (b, v) -> b.blockSubscribersMax = Math.toIntExact(v)),
  FRAGMENT_QUOTA_BYTES_PER_IDENTITY(
      "fragmentQuotaBytesPerIdentity",
      1,
      1L << 50,
      "bytes",
      "image fragment bytes one uploader may keep on this node",
      (b, v) -> b.fragmentQuotaBytesPerIdentity = v),
  FRAGMENT_ORPHAN_TTL_MS(
      "fragmentOrphanTtlMs",
      1_000,
      30L * 24 * 3_600_000,
      "ms",
      "how long fragments of an image nobody anchored are kept",
      (b, v) -> b.fragmentOrphanTtlMs = v),
  FRAGMENT_GC_INTERVAL_MS(
      "fragmentGcIntervalMs",
      1_000,
      24L * 3_600_000,
      "ms",
      "pause between fragment garbage-collection passes",
      (b, v) -> b.fragmentGcIntervalMs = v),
  P2P_FRAMES_PER_SECOND_PER_PEER(
      "p2pFramesPerSecondPerPeer",
      1,
      1_000_000,
      "frames/s",
      "inbound frames one neighbour may send per second; more are dropped",
      (b, v) -> b.p2pFramesPerSecondPerPeer = Math.toIntExact(v)),
  P2P_OUTBOUND_BYTES_MAX_PER_PEER(
      "p2pOutboundBytesMaxPerPeer",
      P2pConfig.FRAME_BYTES_MAX_DEFAULT,
      1L << 32,
      "bytes",
      "bytes queued to one neighbour at most; gossip beyond it is dropped",
      (b, v) -> b.p2pOutboundBytesMaxPerPeer = v),
  P2P_STATUS_INTERVAL_MS(
      "p2pStatusIntervalMs",
      50,
      P2pTuning.STATUS_INTERVAL_MS_MAX,
      "ms",
      "period of this node's height announcement to each neighbour",
      (b, v) -> b.p2pStatusIntervalMs = v),
  P2P_RECONNECT_MIN_MS(
      "p2pReconnectMinMs",
      10,
      60_000,
      "ms",
      "first delay before dialing an unreachable neighbour again (doubles per failure)",
      (b, v) -> b.p2pReconnectMinMs = v),
  P2P_RECONNECT_MAX_MS(
      "p2pReconnectMaxMs",
      10,
      600_000,
      "ms",
      "largest delay before dialing an unreachable neighbour again",
      (b, v) -> b.p2pReconnectMaxMs = v);

  /** The kinds of value a key takes. */
  public enum Kind {
    ADDRESS,
    BOOLEAN,
    INTEGER
  }

  public static final String ENV_PREFIX = "PROSIMA_";

  /** host:port: a DNS name or IPv4 address, or an IPv6 address in brackets. */
  private static final Pattern HOST_PORT =
      Pattern.compile("([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]):([0-9]{1,5})");

  private final String key;
  private final Kind kind;
  private final long min;
  private final long max;
  private final String unit;
  private final String description;
  private final BiConsumer<NodeConfig.Builder, Object> setter;

  ConfigKey(
      String key, Kind kind, String description, BiConsumer<NodeConfig.Builder, Object> setter) {
    this(key, kind, 0, 0, "", description, setter);
  }

  ConfigKey(
      String key,
      long min,
      long max,
      String unit,
      String description,
      BiConsumer<NodeConfig.Builder, Long> setter) {
    this(key, Kind.INTEGER, min, max, unit, description, (b, v) -> setter.accept(b, (Long) v));
  }

  ConfigKey(
      String key,
      Kind kind,
      long min,
      long max,
      String unit,
      String description,
      BiConsumer<NodeConfig.Builder, Object> setter) {
    this.key = key;
    this.kind = kind;
    this.min = min;
    this.max = max;
    this.unit = unit;
    this.description = description;
    this.setter = setter;
  }

  /** The name in the config file (and in NodeConfig). */
  public String key() {
    return key;
  }

  public Kind kind() {
    return kind;
  }

  public long min() {
    return min;
  }

  public long max() {
    return max;
  }

  /** Unit of an integer key ("bytes", "ms", ...); empty for others. */
  public String unit() {
    return unit;
  }

  public String description() {
    return description;
  }

  /** The environment variable that sets this key. */
  public String envName() {
    return ENV_PREFIX + key.replaceAll("([A-Z])", "_$1").toUpperCase(Locale.ROOT);
  }

  /** The key of this name, or null. */
  public static ConfigKey byKey(String name) {
    for (ConfigKey k : values()) {
      if (k.key.equals(name)) {
        return k;
      }
    }
    return null;
  }

  /** A key the name was probably meant to be (same letters, other case or underscores), or null. */
  static ConfigKey closest(String name) {
    String folded = name.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    for (ConfigKey k : values()) {
      if (k.key.toLowerCase(Locale.ROOT).equals(folded)) {
        return k;
      }
    }
    return null;
  }

  /** What a valid value looks like, for error messages. */
  String expected() {
    return switch (kind) {
      case ADDRESS -> "host:port (port 0-65535), or empty for unset";
      case BOOLEAN -> "true or false";
      case INTEGER -> "an integer in " + min + ".." + max + " (" + unit + ")";
    };
  }

  /**
   * Parses a value given as text (environment, command line). Returns the value (null for an empty
   * address: unset) or throws with what was expected.
   */
  Object parse(String text) throws IllegalArgumentException {
    String t = text.strip();
    return switch (kind) {
      case ADDRESS -> address(t);
      case BOOLEAN -> {
        if (t.equals("true") || t.equals("false")) {
          yield Boolean.valueOf(t);
        }
        throw new IllegalArgumentException("must be " + expected());
      }
      case INTEGER -> {
        long v;
        try {
          // Underscores between digits as in TOML (200_000).
          if (!t.matches("[0-9](_?[0-9])*")) {
            throw new NumberFormatException();
          }
          v = Long.parseLong(t.replace("_", ""));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("must be " + expected());
        }
        yield integer(v);
      }
    };
  }

  /** Checks an integer value against the range. */
  Long integer(long v) {
    if (v < min || v > max) {
      throw new IllegalArgumentException("must be " + expected());
    }
    return v;
  }

  private String address(String t) {
    if (t.isEmpty()) {
      return null;
    }
    var m = HOST_PORT.matcher(t);
    if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
      throw new IllegalArgumentException("must be " + expected());
    }
    return t;
  }

  void apply(NodeConfig.Builder b, Object value) {
    setter.accept(b, value);
  }
}
