package io.prosima.node.federation;

import com.google.protobuf.ByteString;
import io.prosima.node.fragments.FragmentLimits;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Names on chain and in the fragment store: the global model of round N is {@code model@gN}; the
 * update of participant P in round N is {@code model@uN.<first 16 hex digits of P's key>}; the
 * sealed weights of {@code model@version} are stored under {@code fed.model.version}.
 */
public final class RoundNames {
  /** Federated model ids are shorter than the ledger's 64 so blob ids fit the store's 128. */
  public static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,47}");

  public static final int ROUND_MAX = 1_000_000;

  private static final Pattern GLOBAL = Pattern.compile("g(0|[1-9][0-9]{0,6})");

  private RoundNames() {}

  public static String checkModel(String model) {
    if (!MODEL_ID.matcher(model).matches()) {
      throw new IllegalArgumentException("federated model id must match " + MODEL_ID.pattern());
    }
    return model;
  }

  public static String global(long round) {
    return "g" + round;
  }

  /** The round N of a global model's version "gN", or -1 if {@code version} is not one. */
  public static long globalRound(String version) {
    if (!GLOBAL.matcher(version).matches()) {
      return -1;
    }
    long round = Long.parseLong(version.substring(1));
    return round <= ROUND_MAX ? round : -1;
  }

  public static String update(long round, ByteString participant) {
    return "u" + round + "." + HexFormat.of().formatHex(participant.toByteArray(), 0, 8);
  }

  public static String ref(String model, String version) {
    return model + "@" + version;
  }

  public static String blobId(String model, String version) {
    return FragmentLimits.FEDERATION_PREFIX + model + "." + version;
  }
}
