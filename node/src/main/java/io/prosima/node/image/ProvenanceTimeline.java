package io.prosima.node.image;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxProofVerifier;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.GetModelRequest;
import io.prosima.proto.v1.GetTxRequest;
import io.prosima.proto.v1.ModelRecord;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.TxResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * An image's verified history as an auditor reads it: one row per entry (anchor, grants, revokes,
 * rekeys, access logs, reconstructions with the model's lineage, verifications), as a table or
 * JSON. Model lineage is read from the models' own anchors, whose proofs are checked too.
 */
public final class ProvenanceTimeline {
  /** Lineage is followed this many parents deep at most. */
  static final int LINEAGE_DEPTH_MAX = 8;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private ProvenanceTimeline() {}

  /** The rows of a verified history; {@code node} answers model lookups for lineage. */
  public static List<Row> rows(ImageHistory history, Genesis genesis, NodeClient node) {
    List<Row> rows = new ArrayList<>();
    for (TxResponse e : history.entries()) {
      rows.add(row(e, genesis, node));
    }
    return rows;
  }

  public static String table(ImageHistory history, List<Row> rows, Genesis genesis) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "provenance of %s (owner %s, key epoch %d)%n%-7s %-19s %-15s %-12s %s%n",
            history.anchor().getImageId(),
            name(history.owner(), genesis),
            history.keyEpoch(),
            "height",
            "time (UTC)",
            "event",
            "by",
            "details"));
    for (Row r : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-7d %-19s %-15s %-12s %s%n",
              r.height(),
              TIME.format(Instant.ofEpochMilli(r.timeMs())),
              r.event(),
              r.by(),
              r.details()));
    }
    out.append(
        "all "
            + rows.size()
            + " entries: inclusion proof and commit certificate verified against the genesis");
    return out.toString();
  }

  public static String json(ImageHistory history, List<Row> rows, Genesis genesis) {
    JsonObject out = new JsonObject();
    out.addProperty("image_id", history.anchor().getImageId());
    out.addProperty("owner", name(history.owner(), genesis));
    out.addProperty("key_epoch", history.keyEpoch());
    out.addProperty("entries_verified", rows.size());
    JsonArray entries = new JsonArray();
    for (Row r : rows) {
      JsonObject o = new JsonObject();
      o.addProperty("height", r.height());
      o.addProperty("time_ms", r.timeMs());
      o.addProperty("event", r.event());
      o.addProperty("by", r.by());
      o.addProperty("details", r.details());
      o.addProperty("tx_hash", r.txHash());
      o.addProperty("proof_verified", true);
      entries.add(o);
    }
    out.add("entries", entries);
    return new GsonBuilder().setPrettyPrinting().create().toJson(out);
  }

  /** One timeline entry (its proof already checked). */
  public record Row(
      long height, long timeMs, String event, String by, String details, String txHash) {}

  static Row row(TxResponse e, Genesis genesis, NodeClient node) {
    Payload p = e.getTx().getPayload();
    String by = name(e.getTx().getSigner(), genesis);
    String event;
    String details;
    switch (p.getKindCase()) {
      case IMAGE_ANCHOR -> {
        var a = p.getImageAnchor();
        event = "anchor";
        details =
            String.format(
                Locale.ROOT,
                "%d tiles, root %s, %d-of-%d fragments on %d validators, E %s%s",
                a.getLeavesCount(),
                HEX.formatHex(a.getMerkleRoot().toByteArray()).substring(0, 16),
                a.getPlacement().getFragmentsNeeded(),
                a.getPlacement().getFragmentsTotal(),
                a.getPlacement().getNodesCount(),
                a.getEncoder().isEmpty() ? "none" : a.getEncoder(),
                a.getModality().isEmpty() ? "" : ", " + a.getModality());
      }
      case IMAGE_REKEY -> {
        event = "rekey";
        details =
            "key epoch "
                + p.getImageRekey().getKeyEpoch()
                + ", "
                + p.getImageRekey().getPlacement().getFragmentsNeeded()
                + "-of-"
                + p.getImageRekey().getPlacement().getFragmentsTotal()
                + " fresh fragments";
      }
      case ACCESS_GRANT -> {
        event = "grant";
        details =
            "to "
                + name(p.getAccessGrant().getGrantee(), genesis)
                + " (key epoch "
                + p.getAccessGrant().getKeyEpoch()
                + ")";
      }
      case ACCESS_REVOKE -> {
        event = "revoke";
        details = "from " + name(p.getAccessRevoke().getGrantee(), genesis);
      }
      case ACCESS_LOG -> {
        event = "access";
        details = p.getAccessLog().getAction();
      }
      case RECONSTRUCTION_RECORD -> {
        var r = p.getReconstructionRecord();
        event = "reconstruction";
        details =
            "model "
                + lineage(r.getModelId(), r.getModelVersion(), genesis, node, 0)
                + ", output root "
                + HEX.formatHex(r.getOutputMerkleRoot().toByteArray()).substring(0, 16)
                + (r.getReconstructedTilesCount() == 0
                    ? ""
                    : ", tiles " + r.getReconstructedTilesList());
      }
      case VERIFICATION_RECORD -> {
        var v = p.getVerificationRecord();
        event = "verification";
        details =
            v.getVerdict().name().substring("VERDICT_".length())
                + (v.getTamperedTilesCount() == 0
                    ? ""
                    : ", tampered tiles " + v.getTamperedTilesList())
                + ", checked root "
                + HEX.formatHex(v.getCheckedMerkleRoot().toByteArray()).substring(0, 16);
      }
      default -> {
        event = p.getKindCase().name().toLowerCase(Locale.ROOT);
        details = "";
      }
    }
    return new Row(
        e.getHeight(),
        e.getHeader().getTimeMs(),
        event,
        by,
        details,
        HEX.formatHex(e.getTxHash().toByteArray()));
  }

  /** "id@version (weights ab12…, from parent (…))", each anchor's proof checked. */
  private static String lineage(
      String modelId, String version, Genesis genesis, NodeClient node, int depth) {
    String ref = modelId + "@" + version;
    try {
      ModelRecord m =
          node.query()
              .getModel(
                  GetModelRequest.newBuilder().setModelId(modelId).setVersion(version).build());
      TxResponse anchor =
          node.query().getTx(GetTxRequest.newBuilder().setTxHash(m.getTxHash()).build());
      var followed = io.prosima.node.client.ValidatorSetFollower.follow(genesis, node);
      String problem =
          followed.problem() != null
              ? "validator changes do not verify: " + followed.problem()
              : TxProofVerifier.check(anchor, genesis, followed.sets());
      if (problem != null) {
        return ref + " (anchor does not verify: " + problem + ")";
      }
      StringBuilder out =
          new StringBuilder(ref)
              .append(" (weights ")
              .append(HEX.formatHex(m.getWeightsSha256().toByteArray()), 0, 12)
              .append(", anchored at ")
              .append(anchor.getHeight());
      if (depth < LINEAGE_DEPTH_MAX) {
        for (String parent : anchor.getTx().getPayload().getModelAnchor().getParentsList()) {
          int at = parent.indexOf('@');
          out.append(", from ")
              .append(
                  lineage(
                      parent.substring(0, at), parent.substring(at + 1), genesis, node, depth + 1));
        }
      }
      return out.append(')').toString();
    } catch (StatusRuntimeException ex) {
      return ref + " (not readable: " + ex.getStatus().getCode() + ")";
    }
  }

  static String name(ByteString key, Genesis genesis) {
    for (var c : genesis.getClientsList()) {
      if (c.getPublicKey().equals(key)) {
        return c.getName();
      }
    }
    for (var v : genesis.getValidatorsList()) {
      if (v.getPublicKey().equals(key)) {
        return v.getName();
      }
    }
    return HEX.formatHex(key.toByteArray()).substring(0, 12);
  }
}
