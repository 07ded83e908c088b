package io.prosima.genesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenesisFilesTest {
  @TempDir Path dir;

  private static GenesisBuilder.Result chain(int validators, int regions) throws Exception {
    return new GenesisBuilder().validators(validators).regions(regions).build(new SecureRandom());
  }

  @Test
  void aWrittenChainReadsBackWithKeysOnlyReadableByTheOwner() throws Exception {
    GenesisBuilder.Result chain = chain(4, 2);
    ChainLayout.write(dir, chain);

    Genesis read = GenesisFiles.read(dir.resolve(ChainLayout.GENESIS_FILE));
    assertEquals(chain.genesis(), read);
    assertEquals(4, read.getValidatorsCount());
    assertEquals(2, read.getRegionsCount());
    assertTrue(read.getClientsList().stream().anyMatch(c -> c.getRole() == Role.ROLE_AUDITOR));

    Path nodeKey = dir.resolve("validator-2").resolve(ChainLayout.NODE_KEY_FILE);
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nodeKey)));
    KeyFile key = KeyFiles.read(nodeKey);
    assertEquals(chain.validatorKeys().get(2), key);
  }

  @Test
  void aKeyFileReadableByOthersIsRefused() throws Exception {
    Path file = dir.resolve("k.json");
    KeyFiles.write(file, KeyGenerator.newKey("h", Role.ROLE_HOSPITAL, false, new SecureRandom()));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    GenesisException e = assertThrows(GenesisException.class, () -> KeyFiles.read(file));
    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
  }

  @Test
  void aKeyFileWhosePublicKeyDoesNotMatchIsRefusedWithoutQuotingTheKey() throws Exception {
    KeyFile a = KeyGenerator.newKey("a", Role.ROLE_HOSPITAL, false, new SecureRandom());
    KeyFile b = KeyGenerator.newKey("b", Role.ROLE_HOSPITAL, false, new SecureRandom());
    Path file = dir.resolve("k.json");
    KeyFiles.write(file, a.toBuilder().setEd25519PublicKey(b.getEd25519PublicKey()).build());
    GenesisException e = assertThrows(GenesisException.class, () -> KeyFiles.read(file));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    String secret =
        java.util.Base64.getEncoder().encodeToString(a.getEd25519PrivateKey().toByteArray());
    assertFalse(e.getMessage().contains(secret));
  }

  @Test
  void genesisWithAnUnknownFieldIsRefused() throws Exception {
    GenesisBuilder.Result chain = chain(1, 1);
    Path file = dir.resolve("genesis.json");
    GenesisFiles.write(file, chain.genesis());
    String json = Files.readString(file).replaceFirst("\\{", "{\"chainIdd\": \"x\",");
    Files.writeString(file, json);
    GenesisException e = assertThrows(GenesisException.class, () -> GenesisFiles.read(file));
    assertTrue(e.getMessage().contains("chainIdd"), e.getMessage());
  }

  @Test
  void genesisRulesNameWhatIsWrong() throws Exception {
    Genesis good = chain(4, 2).genesis();
    assertRefused(good.toBuilder().setChainId("Bad Chain").build(), "chain_id");
    assertRefused(
        good.toBuilder()
            .setValidators(1, good.getValidators(1).toBuilder().setRegion("mars"))
            .build(),
        "unknown region 'mars'");
    assertRefused(
        good.toBuilder()
            .setValidators(
                1,
                good.getValidators(1).toBuilder()
                    .setPublicKey(good.getValidators(0).getPublicKey()))
            .build(),
        "public key is used twice");
    assertRefused(
        good.toBuilder()
            .setValidators(0, good.getValidators(0).toBuilder().setVotingWeight(100))
            .build(),
        "not below 1/3");
    assertRefused(
        good.toBuilder()
            .setValidators(0, good.getValidators(0).toBuilder().setGrpcAddress("127.0.0.1:99999"))
            .build(),
        "port out of range");
    assertRefused(good.toBuilder().clearValidators().build(), "no validators");
    assertRefused(
        good.toBuilder().setConsensus(good.getConsensus().toBuilder().setBlockTxsMax(0)).build(),
        "block_txs_max");
  }

  @Test
  void rewritingAnExistingChainDirectoryIsRefused() throws Exception {
    ChainLayout.write(dir, chain(1, 1));
    GenesisException e =
        assertThrows(GenesisException.class, () -> ChainLayout.write(dir, chain(1, 1)));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  private static void assertRefused(Genesis g, String expected) {
    GenesisException e = assertThrows(GenesisException.class, () -> GenesisRules.check(g));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
