package io.prosima.node.image;

import com.google.protobuf.ByteString;
import io.prosima.imaging.placement.PlacementNode;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.FragmentServiceGrpc;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Validator;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The validators of a chain as a client sees them: one mutual-TLS connection per validator, opened
 * on first use, and each validator's region for locality-first placement and retrieval.
 */
public final class ChainNodes implements AutoCloseable {
  /** One fragment RPC may not hang an ingest or a retrieval on a dead node for longer. */
  public static final long FRAGMENT_CALL_DEADLINE_MS = 15_000;

  private final Genesis genesis;
  private final KeyFile key;
  private final Map<ByteString, Validator> validators = new LinkedHashMap<>();
  private final Map<ByteString, NodeClient> clients = new ConcurrentHashMap<>();
  private GroupCommitter committer;

  public ChainNodes(Genesis genesis, KeyFile key) {
    this.genesis = genesis;
    this.key = key;
    genesis.getValidatorsList().forEach(v -> validators.put(v.getPublicKey(), v));
  }

  public Genesis genesis() {
    return genesis;
  }

  public KeyFile key() {
    return key;
  }

  public String chainId() {
    return genesis.getChainId();
  }

  /** Every validator as a placement candidate, in genesis order. */
  public List<PlacementNode> placementNodes() {
    List<PlacementNode> out = new ArrayList<>();
    for (Validator v : validators.values()) {
      out.add(new PlacementNode(v.getPublicKey().toByteArray(), v.getRegion()));
    }
    return out;
  }

  public Optional<Validator> validator(ByteString key) {
    return Optional.ofNullable(validators.get(key));
  }

  public String name(ByteString key) {
    Validator v = validators.get(key);
    return v == null ? "unknown node" : v.getName();
  }

  /** The connection to a validator (opened once). */
  public NodeClient client(ByteString validatorKey) {
    Validator v = validators.get(validatorKey);
    if (v == null) {
      throw new IllegalArgumentException("not a validator of this chain");
    }
    return clients.computeIfAbsent(
        validatorKey,
        k -> {
          try {
            return new NodeClient(v.getGrpcAddress(), key, genesis);
          } catch (GeneralSecurityException | SSLException e) {
            throw new IllegalStateException(
                "cannot set up TLS to " + v.getName() + ": " + e.getMessage(), e);
          }
        });
  }

  public FragmentServiceGrpc.FragmentServiceBlockingStub fragments(ByteString validatorKey) {
    return FragmentServiceGrpc.newBlockingStub(client(validatorKey).channel())
        .withDeadlineAfter(FRAGMENT_CALL_DEADLINE_MS, TimeUnit.MILLISECONDS);
  }

  /** This identity's committer (one, so its nonces reach nodes in order). */
  synchronized GroupCommitter committer() {
    if (committer == null) {
      committer = new GroupCommitter(this);
    }
    return committer;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (committer != null) {
        committer.close();
      }
    }
    clients.values().forEach(NodeClient::close);
    clients.clear();
  }
}
