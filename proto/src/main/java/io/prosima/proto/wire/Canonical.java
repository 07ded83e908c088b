package io.prosima.proto.wire;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import java.io.IOException;

/**
 * Canonical encoding: hashes and signatures are always taken over the deterministic serialization
 * of a message (no signed message has map fields), and nodes refuse messages carrying unknown
 * fields, so one logical message has exactly one byte form.
 */
public final class Canonical {
  private Canonical() {}

  /** Deterministic serialization (no signed message has map fields, so order is fixed). */
  public static byte[] bytes(Message message) {
    byte[] out = new byte[message.getSerializedSize()];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    cos.useDeterministicSerialization();
    try {
      message.writeTo(cos);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("serialising into an exact-size array failed", e);
    }
    return out;
  }

  /**
   * SHA-256 of {@link #bytes}, streamed through the digest: a proposal carrying megabytes of
   * transactions is hashed without a second copy of it in memory.
   */
  public static byte[] sha256(Message message) {
    java.security.MessageDigest md = Sha256.digest();
    CodedOutputStream cos =
        CodedOutputStream.newInstance(
            new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), md),
            64 * 1024);
    cos.useDeterministicSerialization();
    try {
      message.writeTo(cos);
      cos.flush();
    } catch (IOException e) {
      throw new IllegalStateException("hashing a message failed", e);
    }
    return md.digest();
  }

  /**
   * True when an already parsed message (say, from gRPC) carries unknown fields at any depth.
   * Unknown fields survive parsing and re-serialization, so this is how they are spotted once the
   * original bytes are gone.
   */
  public static boolean hasUnknownFields(Message message) {
    if (!message.getUnknownFields().asMap().isEmpty()) {
      return true;
    }
    // Only message-typed fields can hide unknown fields; reflecting over scalars is the slow part
    // of a generic walk, so it is skipped.
    for (Descriptors.FieldDescriptor field : message.getDescriptorForType().getFields()) {
      if (field.getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.isRepeated()) {
        int n = message.getRepeatedFieldCount(field);
        for (int i = 0; i < n; i++) {
          if (hasUnknownFields((Message) message.getRepeatedField(field, i))) {
            return true;
          }
        }
      } else if (message.hasField(field) && hasUnknownFields((Message) message.getField(field))) {
        return true;
      }
    }
    return false;
  }
}
