package io.prosima.node;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.prosima.genesis.GenesisException;
import io.prosima.genesis.ValidatorSets;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.OverlayEdge;
import io.prosima.proto.v1.Validator;
import io.prosima.proto.v1.ValidatorChange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who this node is and whom it links to, as validator changes move the set (issue 17). A node's
 * overlay neighbours are its neighbours in every set in force at its next height or later: a
 * joining validator is linked (and so accepted by TLS, and synced) as soon as the change commits,
 * before it has to vote; a leaving one is unlinked once its removal is in force.
 *
 * <p>A validator that joins after genesis starts from genesis and its key, plus the approved change
 * that adds it ({@link #JOIN_FILE} in its home): it names the node's own entry (addresses) and the
 * neighbours to dial until the node has synced the block that carries the change.
 */
public final class ValidatorOverlay {
  /** In a joining validator's home: the approved ValidatorChange (JSON) that adds it. */
  public static final String JOIN_FILE = "join.json";

  /** Join files larger than this are refused. */
  static final long JOIN_FILE_BYTES_MAX = 256 << 10;

  private ValidatorOverlay() {}

  /** The join file of {@code home}, if there is one. */
  public static Optional<ValidatorChange> readJoin(Path home) throws GenesisException {
    Path file = home.resolve(JOIN_FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      if (Files.size(file) > JOIN_FILE_BYTES_MAX) {
        throw new GenesisException(file + " is larger than " + JOIN_FILE_BYTES_MAX + " bytes");
      }
      ValidatorChange.Builder b = ValidatorChange.newBuilder();
      JsonFormat.parser().merge(Files.readString(file, StandardCharsets.UTF_8), b);
      return Optional.of(b.build());
    } catch (IOException e) {
      throw new GenesisException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /**
   * This node's validator entry: from genesis, else from the join file (which must add this key).
   */
  public static Validator self(Genesis genesis, ByteString key, Optional<ValidatorChange> join)
      throws GenesisException {
    for (Validator v : genesis.getValidatorsList()) {
      if (v.getPublicKey().equals(key)) {
        return v;
      }
    }
    if (join.isPresent() && join.get().getBody().getAdd().getPublicKey().equals(key)) {
      return join.get().getBody().getAdd();
    }
    throw new GenesisException(
        "the node key is not a genesis validator, and no "
            + JOIN_FILE
            + " in the home adds it (a validator that joins later needs its approved change there)");
  }

  /** The overlay neighbours of {@code self} at {@code nextHeight}: key to (unresolved) address. */
  public static Map<ByteString, InetSocketAddress> neighbours(
      ValidatorSets sets, long nextHeight, ByteString self, Optional<ValidatorChange> join) {
    Map<ByteString, InetSocketAddress> out = new HashMap<>();
    boolean member = false;
    ValidatorSets.Epoch current = sets.epochAt(nextHeight);
    for (ValidatorSets.Epoch e : sets.epochs()) {
      if (e != current && e.fromHeight() <= nextHeight) {
        continue; // an epoch already over
      }
      String me = nameOf(e, self);
      if (me == null) {
        continue;
      }
      member = true;
      addAround(e, me, out);
    }
    if (!member && join.isPresent() && sets.changes() <= join.get().getBody().getSequence()) {
      // Not synced to our own change yet: link as the change names, to the newest known set.
      var body = join.get().getBody();
      ValidatorSets.Epoch latest = sets.latest();
      Map<String, Validator> byName = new TreeMap<>();
      latest.validators().forEach(v -> byName.put(v.getName(), v));
      for (OverlayEdge edge : body.getAddEdgesList()) {
        String other =
            edge.getA().equals(body.getAdd().getName())
                ? edge.getB()
                : edge.getB().equals(body.getAdd().getName()) ? edge.getA() : null;
        Validator v = other == null ? null : byName.get(other);
        if (v != null) {
          out.put(v.getPublicKey(), unresolved(v.getP2PAddress()));
        }
      }
    }
    out.remove(self);
    return out;
  }

  private static String nameOf(ValidatorSets.Epoch e, ByteString key) {
    for (Validator v : e.validators()) {
      if (v.getPublicKey().equals(key)) {
        return v.getName();
      }
    }
    return null;
  }

  private static void addAround(
      ValidatorSets.Epoch e, String me, Map<ByteString, InetSocketAddress> out) {
    Map<String, Validator> byName = new HashMap<>();
    e.validators().forEach(v -> byName.put(v.getName(), v));
    for (OverlayEdge edge : e.overlay()) {
      String other =
          edge.getA().equals(me) ? edge.getB() : edge.getB().equals(me) ? edge.getA() : null;
      Validator v = other == null ? null : byName.get(other);
      if (v != null) {
        out.put(v.getPublicKey(), unresolved(v.getP2PAddress()));
      }
    }
  }

  /** host:port, not resolved here (the dialer looks the name up at each attempt). */
  static InetSocketAddress unresolved(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return InetSocketAddress.createUnresolved(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
