package io.prosima.node.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.StatusRuntimeException;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxSigner;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `prosima tx submit`: signs a payload with our key and submits it. */
@Command(
    name = "tx",
    mixinStandardHelpOptions = true,
    description = "Sign and submit transactions.",
    subcommands = {TxCommand.Submit.class})
final class TxCommand {
  /** Payload files are small JSON documents; anything larger is refused unread. */
  static final long PAYLOAD_FILE_BYTES_MAX = 1 << 20;

  @Command(
      name = "submit",
      mixinStandardHelpOptions = true,
      description = "Submit one transaction whose payload is a JSON file (prosima.v1.Payload).")
  static final class Submit implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Option(names = "--payload", required = true, description = "Payload JSON file.")
    Path payloadFile;

    @Option(
        names = "--nonce",
        description = "Nonce (default: microseconds since the epoch, which only ever grows).")
    Long nonce;

    @Option(
        names = "--expires-in",
        defaultValue = "100",
        description = "Blocks from the current height after which the tx expires.")
    long expiresIn;

    @Option(names = "--wait", description = "Wait until the transaction is committed.")
    boolean waitForCommit;

    @Override
    public Integer call() throws IOException {
      if (Files.size(payloadFile) > PAYLOAD_FILE_BYTES_MAX) {
        throw new CliException("payload file is larger than " + PAYLOAD_FILE_BYTES_MAX + " bytes");
      }
      Payload.Builder payload = Payload.newBuilder();
      try {
        JsonFormat.parser().merge(Files.readString(payloadFile), payload);
      } catch (InvalidProtocolBufferException e) {
        throw new CliException("payload file is not a valid payload: " + e.getMessage(), e);
      }
      var genesis = client.loadGenesis();
      var key = client.loadKey();
      try (NodeClient node = client.connect(genesis)) {
        long height = node.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
        long n = nonce != null ? nonce : System.currentTimeMillis() * 1000;
        Transaction tx =
            TxSigner.sign(genesis.getChainId(), key, n, height + expiresIn, payload.build());
        SubmitResponse r =
            node.submit()
                .submit(
                    SubmitRequest.newBuilder().setTx(tx).setWaitForCommit(waitForCommit).build());
        String hash = HexFormat.of().formatHex(r.getTxHash().toByteArray());
        if (!r.getAccepted()) {
          throw new CliException(
              "refused " + r.getCode() + ": " + r.getMessage() + " (tx " + hash + ")");
        }
        System.out.println(
            r.getCommitted()
                ? "committed tx " + hash + " at height " + r.getHeight()
                : "accepted tx " + hash + " (pending)");
        return 0;
      } catch (StatusRuntimeException e) {
        throw CliException.fromStatus(e);
      }
    }
  }
}
