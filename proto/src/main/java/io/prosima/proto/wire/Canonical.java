package io.prosima.proto.wire;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import java.io.IOException;
import java.util.List;

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
    // Only message-typed fields can hide unknown fields; their list is found once per type, so
    // a 16-tile anchor does not reflect over every scalar field of every leaf.
    for (Descriptors.FieldDescriptor field : messageFields(message.getDescriptorForType())) {
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

  /** The message-typed fields of each message type (descriptors are immutable singletons). */
  private static final java.util.Map<Descriptors.Descriptor, List<Descriptors.FieldDescriptor>>
      MESSAGE_FIELDS_BY_TYPE = new java.util.concurrent.ConcurrentHashMap<>();

  private static List<Descriptors.FieldDescriptor> messageFields(Descriptors.Descriptor type) {
    return MESSAGE_FIELDS_BY_TYPE.computeIfAbsent(
        type,
        t ->
            t.getFields().stream()
                .filter(f -> f.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE)
                .toList());
  }
}
