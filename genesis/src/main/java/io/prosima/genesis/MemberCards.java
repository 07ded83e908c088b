package io.prosima.genesis;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.MemberCard;
import io.prosima.proto.v1.Role;
import io.prosima.proto.wire.Canonical;
import io.prosima.proto.wire.DomainTags;
import io.prosima.proto.wire.Ed25519Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Member cards: the public part of one site's key (name, role, Ed25519 and X25519 public keys and,
 * for a validator, its region and endpoints), self-signed by the Ed25519 key. A site makes its card
 * next to its key file and sends only the card; the consortium assembles the genesis from cards.
 */
public final class MemberCards {
  public static final String VALIDATOR = "validator";
  public static final String HOSPITAL = "hospital";
  public static final String AUDITOR = "auditor";
  public static final String ADMIN = "admin";

  /** The roles a card may carry, in the order assembled genesis lists them. */
  public static final List<String> ROLES = List.of(VALIDATOR, HOSPITAL, AUDITOR, ADMIN);

  /** A card file larger than this is refused before parsing (a real one is about 400 bytes). */
  public static final long CARD_BYTES_MAX = 16 << 10;

  private MemberCards() {}

  /** The client role of a non-validator card's role name. */
  public static Role clientRole(String role) {
    return switch (role) {
      case HOSPITAL -> Role.ROLE_HOSPITAL;
      case AUDITOR -> Role.ROLE_AUDITOR;
      case ADMIN -> Role.ROLE_ADMIN;
      default -> throw new IllegalArgumentException("not a client role: " + role);
    };
  }

  /**
   * A new key for {@code role} as {@link KeyGenerator} makes it (validators have no client role).
   */
  public static KeyFile newKey(String name, String role, java.security.SecureRandom random) {
    boolean validator = role.equals(VALIDATOR);
    return KeyGenerator.newKey(
        name, validator ? Role.ROLE_UNSPECIFIED : clientRole(role), validator, random);
  }

  /**
   * The signed card of {@code key}. Region and addresses are for validators and must be empty for
   * other roles; the card is checked before it is returned.
   */
  public static MemberCard of(KeyFile key, String region, String p2pAddress, String grpcAddress)
      throws GenesisException {
    String role = key.getValidator() ? VALIDATOR : roleName(key.getRole());
    MemberCard unsigned =
        MemberCard.newBuilder()
            .setName(key.getName())
            .setRole(role)
            .setEd25519PublicKey(key.getEd25519PublicKey())
            .setX25519PublicKey(key.getX25519PublicKey())
            .setRegion(region)
            .setP2PAddress(p2pAddress)
            .setGrpcAddress(grpcAddress)
            .build();
    byte[] sig =
        Ed25519Keys.sign(
            key.getEd25519PrivateKey().toByteArray(),
            key.getEd25519PublicKey().toByteArray(),
            signingBytes(unsigned));
    MemberCard card = unsigned.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
    String problem = problem(card);
    if (problem != null) {
      throw new GenesisException("member '" + key.getName() + "': " + problem);
    }
    return card;
  }

  private static String roleName(Role role) throws GenesisException {
    return switch (role) {
      case ROLE_HOSPITAL -> HOSPITAL;
      case ROLE_AUDITOR -> AUDITOR;
      case ROLE_ADMIN -> ADMIN;
      default -> throw new GenesisException("key has no client role and is not a validator key");
    };
  }

  /** {@code "prosima/member/v1" 0x00 || protobuf(card with signature cleared)}. */
  public static byte[] signingBytes(MemberCard card) {
    return DomainTags.withPrefix(
        DomainTags.MEMBER, Canonical.bytes(card.toBuilder().clearSignature().build()));
  }

  /** Null when the card is well formed and its signature verifies, else what is wrong. */
  public static String problem(MemberCard c) {
    if (!GenesisRules.NAME.matcher(c.getName()).matches()) {
      return "name '" + c.getName() + "' must match " + GenesisRules.NAME;
    }
    if (!ROLES.contains(c.getRole())) {
      return "unknown role '" + c.getRole() + "' (validator, hospital, auditor or admin)";
    }
    if (c.getEd25519PublicKey().size() != Ed25519Keys.PUBLIC_KEY_BYTES) {
      return "ed25519_public_key must be " + Ed25519Keys.PUBLIC_KEY_BYTES + " bytes";
    }
    if (c.getX25519PublicKey().size() != GenesisRules.KEY_BYTES) {
      return "x25519_public_key must be " + GenesisRules.KEY_BYTES + " bytes";
    }
    if (c.getRole().equals(VALIDATOR)) {
      if (!GenesisRules.NAME.matcher(c.getRegion()).matches()) {
        return "a validator needs a region matching " + GenesisRules.NAME;
      }
      if (!GenesisRules.ADDRESS.matcher(c.getP2PAddress()).matches()) {
        return "a validator needs a p2p address host:port, got '" + c.getP2PAddress() + "'";
      }
      if (!GenesisRules.ADDRESS.matcher(c.getGrpcAddress()).matches()) {
        return "a validator needs a gRPC address host:port, got '" + c.getGrpcAddress() + "'";
      }
      if (c.getP2PAddress().equals(c.getGrpcAddress())) {
        return "p2p and gRPC addresses must differ";
      }
    } else if (!c.getRegion().isEmpty()
        || !c.getP2PAddress().isEmpty()
        || !c.getGrpcAddress().isEmpty()) {
      return "only validators have a region and addresses, not a " + c.getRole();
    }
    if (!Ed25519Keys.verify(
        c.getEd25519PublicKey().toByteArray(), signingBytes(c), c.getSignature().toByteArray())) {
      return "signature does not verify: the card was changed after its site signed it";
    }
    return null;
  }

  public static String json(MemberCard card) {
    try {
      return JsonFormat.printer().print(card) + "\n";
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a member card always prints", e);
    }
  }

  /** Writes the card (readable by all: it holds nothing secret), atomically. */
  public static void write(Path file, MemberCard card) throws IOException {
    AtomicFiles.write(file, json(card).getBytes(StandardCharsets.UTF_8), false);
  }

  /** Reads and checks a card file; every refusal names the file and the reason. */
  public static MemberCard read(Path file) throws GenesisException {
    String json;
    try {
      long size = Files.size(file);
      if (size > CARD_BYTES_MAX) {
        throw new GenesisException(
            "member file " + file + " is " + size + " bytes, above " + CARD_BYTES_MAX);
      }
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new GenesisException("cannot read member file " + file + ": " + e.getMessage(), e);
    }
    if (json.contains("PrivateKey") || json.contains("private_key")) {
      throw new GenesisException(
          "member file " + file + " holds a private key: send NAME.public.json, never a key file");
    }
    MemberCard.Builder b = MemberCard.newBuilder();
    try {
      // Unknown fields are refused: a key file sent by mistake fails here, its secret unquoted.
      JsonFormat.parser().merge(json, b);
    } catch (InvalidProtocolBufferException e) {
      throw new GenesisException(
          "member file " + file + " is not a member card (made by prosima keys generate)");
    }
    MemberCard card = b.build();
    String problem = problem(card);
    if (problem != null) {
      throw new GenesisException("member file " + file + ": " + problem);
    }
    return card;
  }
}
