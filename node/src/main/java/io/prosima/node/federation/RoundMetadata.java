package io.prosima.node.federation;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * The training_metadata of a federated anchor (Java properties text, so an auditor reads it as is).
 * A global model {@code gN} carries the round's rules for the next round (participants, quorum,
 * deadline) and, from round 1, what the previous round included and excluded with reasons. An
 * update carries its sample count, local steps and local validation PSNR.
 */
public final class RoundMetadata {
  public static final String FORMAT = "prosima-federated-1";

  private final Properties p;

  private RoundMetadata(Properties p) {
    this.p = p;
  }

  public static RoundMetadata parse(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("training_metadata is not properties text");
    }
    if (!FORMAT.equals(p.getProperty("federation"))) {
      throw new IllegalArgumentException("not a federated anchor");
    }
    return new RoundMetadata(p);
  }

  public String get(String key) {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IllegalArgumentException("federated anchor has no " + key);
    }
    return v.trim();
  }

  public String getOr(String key, String otherwise) {
    return p.getProperty(key, otherwise).trim();
  }

  public long number(String key) {
    try {
      return Long.parseLong(get(key));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a number");
    }
  }

  public String kind() {
    return get("kind");
  }

  public long round() {
    return number("round");
  }

  /** The participants, Ed25519 keys. */
  public List<ByteString> participants() {
    List<ByteString> out = new ArrayList<>();
    for (String hex : get("participants").split(",")) {
      byte[] key;
      try {
        key = HexFormat.of().parseHex(hex.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("participants holds a non-hex key");
      }
      if (key.length != 32) {
        throw new IllegalArgumentException("participants holds a key that is not 32 bytes");
      }
      out.add(ByteString.copyFrom(key));
    }
    return out;
  }

  /**
   * The rules a global model sets for the round it starts, and every later global carries
   * unchanged. {@code takeoverBlocks} defaults to {@code deadlineBlocks} for a global anchored
   * before takeover existed.
   */
  public record Rules(
      List<ByteString> participants, long quorum, long deadlineBlocks, long takeoverBlocks) {}

  public Rules rules() {
    long deadline = number("deadline_blocks");
    long takeover = p.containsKey("takeover_blocks") ? number("takeover_blocks") : deadline;
    if (deadline < 1 || takeover < 1) {
      throw new IllegalArgumentException("deadline_blocks and takeover_blocks must be positive");
    }
    return new Rules(participants(), number("quorum"), deadline, takeover);
  }

  /** Builds metadata text: alternating keys and values, in the order given. */
  public static String text(String... keyValues) {
    StringBuilder b = new StringBuilder("federation=" + FORMAT + "\n");
    for (int i = 0; i < keyValues.length; i += 2) {
      b.append(keyValues[i]).append('=').append(keyValues[i + 1]).append('\n');
    }
    return b.toString();
  }

  public static String hexList(List<ByteString> keys) {
    List<String> out = new ArrayList<>();
    keys.forEach(k -> out.add(HexFormat.of().formatHex(k.toByteArray())));
    return String.join(",", out);
  }
}
