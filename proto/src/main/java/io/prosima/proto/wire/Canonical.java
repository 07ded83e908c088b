package io.prosima.proto.wire;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.util.Arrays;

/**
 * Canonical encoding: a message's bytes are canonical when re-serialising the parsed message gives
 * the same bytes back. That refuses unknown fields, duplicate fields, non-minimal varints and field
 * reordering, so one logical message has exactly one byte form, and hashes and signatures over it
 * are well defined.
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

  /** Parses {@code bytes} and refuses them unless they are the message's canonical form. */
  public static <T extends Message> T parse(Parser<T> parser, byte[] bytes)
      throws NonCanonicalException {
    T message;
    try {
      message = parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new NonCanonicalException("not a valid protobuf message: " + e.getMessage());
    }
    if (!Arrays.equals(bytes(message), bytes)) {
      throw new NonCanonicalException(
          "bytes are not in canonical form (unknown, duplicate or reordered fields)");
    }
    return message;
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

  /** The bytes were valid protobuf but not in their one canonical form. */
  public static final class NonCanonicalException extends Exception {
    private static final long serialVersionUID = 1L;

    public NonCanonicalException(String message) {
      super(message);
    }
  }
}
