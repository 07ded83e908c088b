package io.prosima.proto.wire;

import java.nio.charset.StandardCharsets;

/**
 * Domain-separation tags. Every signed or hashed structure starts with its own tag so that bytes
 * signed for one purpose (a vote, say) can never be replayed as another (a transaction).
 */
public final class DomainTags {
  public static final String TX = "prosima/tx/v1";
  public static final String HEADER = "prosima/header/v1";
  public static final String VOTE = "prosima/vote/v1";
  public static final String TILE = "prosima/tile/v1";
  public static final String IDENTITY = "prosima/identity/v1";
  public static final String RECEIPT = "prosima/receipt/v1";
  public static final String MEMBER = "prosima/member/v1";
  public static final String VALIDATOR_CHANGE = "prosima/validator-change/v1";

  private DomainTags() {}

  /** The tag's ASCII bytes followed by one zero byte. */
  public static byte[] prefix(String tag) {
    byte[] ascii = tag.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[ascii.length + 1];
    System.arraycopy(ascii, 0, out, 0, ascii.length);
    return out;
  }

  /** The tag prefix followed by {@code body}. */
  public static byte[] withPrefix(String tag, byte[] body) {
    byte[] prefix = prefix(tag);
    byte[] out = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    return out;
  }
}
