package io.prosima.node.cli;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.prosima.imaging.hashcode.HashCoder;
import io.prosima.imaging.tiling.TileGrid;
import io.prosima.imaging.verify.ImageVerifier;
import io.prosima.imaging.verify.VerificationResult;
import io.prosima.node.client.TxProofVerifier;
import io.prosima.node.client.ValidatorSetFollower;
import io.prosima.node.image.Models;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.SearchSimilarRequest;
import io.prosima.proto.v1.SearchSimilarResponse;
import io.prosima.proto.v1.SimilarImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `prosima query similar FILE`: which anchored images a copy most likely came from. The code is
 * computed here (shipped E and projection), the node answers the k nearest codes among the images
 * this identity may see, and every answer's inclusion proof and commit certificate is checked here
 * against the genesis. {@code --verify} then runs {@code image verify} against the best match.
 */
@Command(
    name = "similar",
    mixinStandardHelpOptions = true,
    description = {
      "The anchored images nearest to FILE by 128-bit similarity code (Hamming distance), each",
      "with its anchor's inclusion proof checked here; only images this identity may see",
      "(owner, grantees, auditors, validators). --verify checks FILE against the best match."
    })
final class QuerySimilarCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "The image file found somewhere.")
  Path file;

  @Mixin ClientOptions client;

  @Mixin ImageInputOptions input;

  @Mixin ModelOptions model;

  /** Matches asked of the node and re-ranked here (at least k). */
  static final int SHORTLIST = 20;

  @Option(names = "--k", defaultValue = "5", description = "Matches (1..100, ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--verify",
      description = "Verify FILE against the best match (AUTHENTIC / CONSISTENT / TAMPERED).")
  boolean verify;

  @Override
  public Integer call() throws Exception {
    var unit = input.read(file).unitImage();
    try (ImageSession session = new ImageSession(client, null);
        Models.Opened opened = Models.open(model.dir(), session.via, model.modelVersion, false)) {
      var query = opened.similarityQuery(unit);
      byte[] code = query == null ? new byte[0] : query.code();
      if (code.length == 0) {
        throw new CliException(
            "no similarity-code projection in " + model.dir().resolve("hashcode"));
      }
      SearchSimilarResponse r;
      try {
        r =
            session
                .via
                .query()
                .searchSimilar(
                    SearchSimilarRequest.newBuilder()
                        .setCode(ByteString.copyFrom(code))
                        .setK(Math.max(k, SHORTLIST))
                        .build());
      } catch (StatusRuntimeException e) {
        throw CliException.fromStatus(e);
      }
      var followed = ValidatorSetFollower.follow(session.genesis, session.via);
      if (followed.problem() != null) {
        throw new CliException("validator changes do NOT verify: " + followed.problem());
      }
      System.out.printf(
          Locale.ROOT,
          "code %s; %d match(es) at height %d%n",
          HexFormat.of().formatHex(code),
          r.getMatchesCount(),
          r.getHeight());
      System.out.printf(
          Locale.ROOT,
          "%-4s %-8s %-10s %-40s %-8s %s%n",
          "rank",
          "hamming",
          "asymmetric",
          "image",
          "height",
          "proof");
      // The node ranks by Hamming distance; the shortlist is re-ranked here by the asymmetric
      // distance, which weighs each differing bit by how surely the query holds it.
      double[] margins = query.margins();
      List<SimilarImage> ranked = new ArrayList<>(r.getMatchesList());
      ranked.sort(
          Comparator.comparingDouble(m -> HashCoder.asymmetricDistance(margins, codeOf(m))));
      ranked = ranked.subList(0, Math.min(k, ranked.size()));
      int rank = 0;
      for (SimilarImage m : ranked) {
        String problem = TxProofVerifier.check(m.getAnchor(), session.genesis, followed.sets());
        if (problem == null
            && !m.getAnchor()
                .getTx()
                .getPayload()
                .getImageAnchor()
                .getImageId()
                .equals(m.getImageId())) {
          problem = "the proven anchor is for another image";
        }
        if (problem != null) {
          throw new CliException("match " + m.getImageId() + ": proof does NOT verify: " + problem);
        }
        System.out.printf(
            Locale.ROOT,
            "%-4d %-8d %-10.2f %-40s %-8d verified%n",
            ++rank,
            m.getDistance(),
            HashCoder.asymmetricDistance(margins, codeOf(m)),
            m.getImageId(),
            m.getAnchor().getHeight());
      }
      if (verify && !ranked.isEmpty()) {
        ImageAnchor anchor = ranked.get(0).getAnchor().getTx().getPayload().getImageAnchor();
        VerificationResult result =
            ImageVerifier.verify(
                unit,
                new TileGrid(anchor.getGrid().getImageWidth(), anchor.getGrid().getImageHeight()),
                anchor.getLeavesList(),
                opened.reconstructor());
        System.out.println("against the best match " + anchor.getImageId() + ":");
        System.out.println(result.toTable());
      }
      return 0;
    }
  }

  private static byte[] codeOf(SimilarImage m) {
    return m.getAnchor().getTx().getPayload().getImageAnchor().getSimilarityCode().toByteArray();
  }
}
