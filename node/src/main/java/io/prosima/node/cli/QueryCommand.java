package io.prosima.node.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.grpc.StatusRuntimeException;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxProofVerifier;
import io.prosima.proto.v1.GetBlockRequest;
import io.prosima.proto.v1.GetTxRequest;
import io.prosima.proto.v1.ListTxsByImageRequest;
import io.prosima.proto.v1.ListTxsBySignerRequest;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.TxResponse;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `prosima query …`: read the ledger; `query tx` checks the inclusion proof locally. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = "Query a node (results as JSON; byte fields are base64).",
    subcommands = {
      QueryCommand.Status.class,
      QueryCommand.BlockQuery.class,
      QueryCommand.Tx.class,
      QueryCommand.Image.class,
      QueryCommand.Signer.class,
      QueryProvenanceCommand.class,
      QuerySimilarCommand.class
    })
final class QueryCommand {
  static final HexFormat HEX = HexFormat.of();

  static void print(MessageOrBuilder m) {
    try {
      System.out.println(JsonFormat.printer().print(m));
    } catch (InvalidProtocolBufferException e) {
      throw new CliException("cannot print the answer: " + e.getMessage(), e);
    }
  }

  static ByteString hex(String what, String value, int bytes) {
    try {
      byte[] b = HEX.parseHex(value);
      if (b.length != bytes) {
        throw new IllegalArgumentException();
      }
      return ByteString.copyFrom(b);
    } catch (IllegalArgumentException e) {
      throw new CliException(what + " must be " + bytes + " bytes of hex");
    }
  }

  abstract static class NodeQuery implements Callable<Integer> {
    @Mixin ClientOptions client;

    abstract void run(NodeClient node, io.prosima.proto.v1.Genesis genesis);

    @Override
    public Integer call() {
      var genesis = client.loadGenesis();
      try (NodeClient node = client.connect(genesis)) {
        run(node, genesis);
        return 0;
      } catch (StatusRuntimeException e) {
        throw CliException.fromStatus(e);
      }
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Chain height and tip.")
  static final class Status extends NodeQuery {
    @Override
    void run(NodeClient node, io.prosima.proto.v1.Genesis genesis) {
      var s = node.query().getStatus(StatusRequest.getDefaultInstance());
      System.out.println("chain " + s.getChainId() + " height " + s.getHeight());
      System.out.println("last block " + HEX.formatHex(s.getLastBlockId().toByteArray()));
      System.out.println("mempool " + s.getMempoolTxs() + " txs");
    }
  }

  @Command(
      name = "block",
      mixinStandardHelpOptions = true,
      description = "A block by height or id.")
  static final class BlockQuery extends NodeQuery {
    @Option(names = "--height", description = "Block height.")
    Long height;

    @Option(names = "--id", description = "Block id (hex).")
    String id;

    @Override
    void run(NodeClient node, io.prosima.proto.v1.Genesis genesis) {
      GetBlockRequest.Builder r = GetBlockRequest.newBuilder();
      if ((height == null) == (id == null)) {
        throw new CliException("give exactly one of --height or --id");
      }
      if (height != null) {
        r.setHeight(height);
      } else {
        r.setBlockId(hex("--id", id, 32));
      }
      print(node.query().getBlock(r.build()));
    }
  }

  @Command(
      name = "tx",
      mixinStandardHelpOptions = true,
      description = "A committed transaction; its inclusion proof and commit are checked here.")
  static final class Tx extends NodeQuery {
    @Parameters(index = "0", description = "Transaction hash (hex).")
    String hash;

    @Override
    void run(NodeClient node, io.prosima.proto.v1.Genesis genesis) {
      TxResponse r =
          node.query().getTx(GetTxRequest.newBuilder().setTxHash(hex("hash", hash, 32)).build());
      print(r);
      // The set that certified the tx's block, verified from genesis through every change.
      var followed = io.prosima.node.client.ValidatorSetFollower.follow(genesis, node);
      if (followed.problem() != null) {
        throw new CliException("validator changes do NOT verify: " + followed.problem());
      }
      String problem = TxProofVerifier.check(r, genesis, followed.sets());
      if (problem != null) {
        throw new CliException("proof does NOT verify: " + problem);
      }
      System.out.println(
          "proof verified: tx is leaf "
              + r.getIndex()
              + " of block "
              + r.getHeight()
              + ", committed by "
              + r.getCommit().getSignaturesCount()
              + " validator signature(s)");
    }
  }

  @Command(name = "image", mixinStandardHelpOptions = true, description = "Txs naming an image.")
  static final class Image extends NodeQuery {
    @Parameters(index = "0", description = "Image id.")
    String imageId;

    @Option(names = "--limit", defaultValue = "100", description = "Page size (1..1000).")
    int limit;

    @Override
    void run(NodeClient node, io.prosima.proto.v1.Genesis genesis) {
      print(
          node.query()
              .listTxsByImage(
                  ListTxsByImageRequest.newBuilder().setImageId(imageId).setLimit(limit).build()));
    }
  }

  @Command(name = "signer", mixinStandardHelpOptions = true, description = "Txs by a signer.")
  static final class Signer extends NodeQuery {
    @Parameters(index = "0", description = "Signer public key (hex).")
    String signer;

    @Option(names = "--limit", defaultValue = "100", description = "Page size (1..1000).")
    int limit;

    @Override
    void run(NodeClient node, io.prosima.proto.v1.Genesis genesis) {
      print(
          node.query()
              .listTxsBySigner(
                  ListTxsBySignerRequest.newBuilder()
                      .setSigner(hex("signer", signer, 32))
                      .setLimit(limit)
                      .build()));
    }
  }
}
