package io.prosima.node.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.prosima.consensus.execution.StateKeys;
import io.prosima.node.ledger.ImageAccess;
import io.prosima.node.ledger.LedgerCore;
import io.prosima.node.ledger.SimilarityIndex;
import io.prosima.proto.v1.BlockResponse;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.GetBlockRequest;
import io.prosima.proto.v1.GetImageProvenanceRequest;
import io.prosima.proto.v1.GetModelRequest;
import io.prosima.proto.v1.GetTxRequest;
import io.prosima.proto.v1.ImageProvenanceResponse;
import io.prosima.proto.v1.LedgerQueryGrpc;
import io.prosima.proto.v1.ListTxsByImageRequest;
import io.prosima.proto.v1.ListTxsBySignerRequest;
import io.prosima.proto.v1.ModelRecord;
import io.prosima.proto.v1.SearchSimilarRequest;
import io.prosima.proto.v1.SearchSimilarResponse;
import io.prosima.proto.v1.SimilarImage;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.StatusResponse;
import io.prosima.proto.v1.SubscribeBlocksRequest;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxListResponse;
import io.prosima.proto.v1.TxResponse;
import io.prosima.proto.v1.TxSummary;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.MerkleTree;
import io.prosima.storage.BlockTxIndex;
import io.prosima.storage.StorageCorruptionException;
import io.prosima.storage.TxImageIds;
import io.prosima.storage.TxPage;
import io.prosima.storage.TxRef;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Ledger queries: status, blocks, transactions with inclusion proofs, indexes, block stream. */
final class LedgerQueryService extends LedgerQueryGrpc.LedgerQueryImplBase {
  static final int DEFAULT_PAGE_TXS = 100;
  static final int PAGE_TXS_MAX = 1000;

  /** A block stream re-checks for new heights at least this often (and on every commit). */
  static final long STREAM_POLL_MS = 1_000;

  /**
   * A block stream whose client reads nothing for this long is ended: the server never queues more
   * than what the transport buffers plus one block for a client that does not read.
   */
  static final long STREAM_STALL_MS_MAX = 30_000;

  /** Most matches one SearchSimilar answers. */
  static final int SIMILAR_K_MAX = 100;

  /** Length of a similarity code (ImageAnchor.similarity_code). */
  static final int SIMILARITY_CODE_BYTES = 16;

  private final LedgerCore core;
  private final ImageAccess access;
  private final SimilarityIndex similar;
  private final ByteString nodeKey;
  private final ExecutorService streamThreads;
  private final Semaphore streamSlots;
  private final long streamStallMsMax;

  LedgerQueryService(
      LedgerCore core,
      ByteString nodeKey,
      ExecutorService streamThreads,
      int streamsMax,
      long streamStallMsMax) {
    this.core = core;
    this.access = new ImageAccess(core);
    this.similar = new SimilarityIndex(core);
    // Rebuilt from the committed chain at start; each search catches up with later blocks.
    similar.catchUp();
    this.nodeKey = nodeKey;
    this.streamThreads = streamThreads;
    this.streamSlots = new Semaphore(streamsMax);
    this.streamStallMsMax = streamStallMsMax;
  }

  @Override
  public void getStatus(StatusRequest request, StreamObserver<StatusResponse> out) {
    guard(
        out,
        () -> {
          var store = core.store();
          StatusResponse.Builder s =
              StatusResponse.newBuilder()
                  .setChainId(core.genesis().getChainId())
                  .setHeight(store.height())
                  .setMempoolTxs(core.mempoolSize())
                  .setNodeKey(nodeKey);
          store.lastBlockId().ifPresent(id -> s.setLastBlockId(ByteString.copyFrom(id)));
          store.lastStateHash().ifPresent(h -> s.setStateHash(ByteString.copyFrom(h)));
          store.lastBlockTimeMs().ifPresent(s::setLastBlockTimeMs);
          out.onNext(s.build());
          out.onCompleted();
        });
  }

  @Override
  public void getValidators(
      io.prosima.proto.v1.GetValidatorsRequest request,
      StreamObserver<io.prosima.proto.v1.ValidatorsResponse> out) {
    guard(
        out,
        () -> {
          long height = core.store().height();
          byte[] bytes =
              core.store().state(io.prosima.consensus.execution.StateKeys.validatorHistory());
          io.prosima.proto.v1.ValidatorHistory history;
          try {
            history =
                bytes == null
                    ? io.prosima.proto.v1.ValidatorHistory.getDefaultInstance()
                    : io.prosima.proto.v1.ValidatorHistory.parseFrom(bytes);
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            // Written only by the executor: unreadable means the store is broken.
            throw new IllegalStateException("validator history record is corrupt", e);
          }
          out.onNext(
              io.prosima.proto.v1.ValidatorsResponse.newBuilder()
                  .setHeight(height)
                  .setHistory(history)
                  .build());
          out.onCompleted();
        });
  }

  @Override
  public void getBlock(GetBlockRequest request, StreamObserver<BlockResponse> out) {
    guard(
        out,
        () -> {
          long height;
          switch (request.getByCase()) {
            case HEIGHT -> height = request.getHeight();
            case BLOCK_ID -> {
              if (request.getBlockId().size() != 32) {
                throw invalid("block_id must be 32 bytes");
              }
              height = core.store().heightOf(request.getBlockId().toByteArray()).orElse(0);
            }
            default -> throw invalid("give a height or a block_id");
          }
          CommittedBlock block =
              core.store()
                  .block(height)
                  .orElseThrow(
                      () -> Status.NOT_FOUND.withDescription("no such block").asRuntimeException());
          out.onNext(blockResponse(block));
          out.onCompleted();
        });
  }

  static BlockResponse blockResponse(CommittedBlock block) {
    return BlockResponse.newBuilder()
        .setBlock(block.getBlock())
        .setBlockId(ByteString.copyFrom(BlockCodec.blockId(block.getBlock().getHeader())))
        .setCommit(block.getCommit())
        .build();
  }

  @Override
  public void getTx(GetTxRequest request, StreamObserver<TxResponse> out) {
    guard(
        out,
        () -> {
          if (request.getTxHash().size() != 32) {
            throw invalid("tx_hash must be 32 bytes");
          }
          var location =
              core.store()
                  .txLocation(request.getTxHash().toByteArray())
                  .orElseThrow(
                      () ->
                          Status.NOT_FOUND
                              .withDescription("transaction is not committed")
                              .asRuntimeException());
          Transaction tx = committedTx(request.getTxHash());
          var imageId = TxImageIds.imageIdOf(tx);
          if (imageId.isPresent()) {
            requireImageReader(imageId.get());
          }
          out.onNext(
              txResponse(
                  request.getTxHash(),
                  tx,
                  blockTxIndex(location.getHeight()),
                  location.getIndex()));
          out.onCompleted();
        });
  }

  /** A committed transaction by hash, read alone rather than out of its (maybe huge) block. */
  private Transaction committedTx(ByteString txHash) {
    return core.store()
        .tx(txHash.toByteArray())
        .orElseThrow(
            () ->
                new StorageCorruptionException(
                    "storage corruption: an index names a tx that is not stored"));
  }

  /** The header, certificate and tx hashes of a committed block, without parsing the block. */
  private BlockTxIndex blockTxIndex(long height) {
    return core.store()
        .blockTxIndex(height)
        .orElseThrow(
            () ->
                new StorageCorruptionException(
                    "storage corruption: an index names height " + height + " but no block"));
  }

  /**
   * A committed transaction with its inclusion proof, block header and commit certificate: the same
   * response as when it was built from the parsed block, since the proof's leaves are the block's
   * tx hashes and the header and certificate are the block's own.
   */
  private static TxResponse txResponse(
      ByteString txHash, Transaction tx, BlockTxIndex block, int index) {
    var hashes = block.txHashes();
    if (index < 0 || index >= hashes.size()) {
      throw new StorageCorruptionException("storage corruption: tx index points past its block");
    }
    if (!Arrays.equals(hashes.get(index), txHash.toByteArray())) {
      throw new StorageCorruptionException(
          "storage corruption: a tx index names another transaction of its block");
    }
    return TxResponse.newBuilder()
        .setTx(tx)
        .setTxHash(txHash)
        .setHeight(block.header().getHeight())
        .setIndex(index)
        .setProof(MerkleTree.proof(hashes, index))
        .setHeader(block.header())
        .setCommit(block.commit())
        .build();
  }

  /** Image records answer the owner, live grantees, auditors and validators (DESIGN.md). */
  private void requireImageReader(String imageId) {
    if (!access.mayQueryImage(imageId, PeerIdentityInterceptor.PEER_KEY.get())) {
      throw Status.PERMISSION_DENIED
          .withDescription(
              "only the image's owner, its grantees, auditors and validators may read its records")
          .asRuntimeException();
    }
  }

  @Override
  public void getImageProvenance(
      GetImageProvenanceRequest request, StreamObserver<ImageProvenanceResponse> out) {
    guard(
        out,
        () -> {
          checkImageId(request.getImageId());
          // An id that is not anchored reveals nothing about anyone's image; an uploader needs
          // to tell "not anchored yet" from "not yours" to finish an interrupted ingest.
          if (access.image(request.getImageId()).isEmpty()) {
            throw Status.NOT_FOUND
                .withDescription("image '" + request.getImageId() + "' is not anchored")
                .asRuntimeException();
          }
          requireImageReader(request.getImageId());
          TxPage page =
              core.store()
                  .txsByImage(
                      request.getImageId(),
                      request.getPageToken().toByteArray(),
                      pageSize(request.getLimit()));
          ImageProvenanceResponse.Builder r = ImageProvenanceResponse.newBuilder();
          // Entries come in commit order: those of one block share its index, read once.
          BlockTxIndex block = null;
          for (TxRef ref : page.txs()) {
            if (block == null || block.header().getHeight() != ref.height()) {
              block = blockTxIndex(ref.height());
            }
            ByteString hash = ByteString.copyFrom(ref.txHash());
            r.addEntries(txResponse(hash, committedTx(hash), block, ref.index()));
          }
          out.onNext(r.setNextPageToken(ByteString.copyFrom(page.nextToken())).build());
          out.onCompleted();
        });
  }

  @Override
  public void searchSimilar(
      SearchSimilarRequest request, StreamObserver<SearchSimilarResponse> out) {
    guard(
        out,
        () -> {
          if (request.getCode().size() != SIMILARITY_CODE_BYTES) {
            throw invalid(
                "code must be "
                    + SIMILARITY_CODE_BYTES
                    + " bytes (a 128-bit similarity code), got "
                    + request.getCode().size());
          }
          if (request.getK() < 1 || request.getK() > SIMILAR_K_MAX) {
            throw invalid("k must be 1.." + SIMILAR_K_MAX + ", got " + request.getK());
          }
          ByteString caller = PeerIdentityInterceptor.PEER_KEY.get();
          // The access rule of every image query (ImageAccess.mayQueryImage), decided per image.
          boolean all = access.auditorOrValidator(caller);
          var matches =
              similar.search(
                  request.getCode().toByteArray(),
                  request.getK(),
                  id -> all || access.mayQueryImage(id, caller));
          SearchSimilarResponse.Builder r =
              SearchSimilarResponse.newBuilder().setHeight(similar.height());
          for (SimilarityIndex.Match m : matches) {
            ByteString hash = m.image().txHash();
            var location =
                core.store()
                    .txLocation(hash.toByteArray())
                    .orElseThrow(
                        () ->
                            new StorageCorruptionException(
                                "storage corruption: an indexed anchor is not committed"));
            r.addMatches(
                SimilarImage.newBuilder()
                    .setImageId(m.image().imageId())
                    .setDistance(m.distance())
                    .setAnchor(
                        txResponse(
                            hash,
                            committedTx(hash),
                            blockTxIndex(location.getHeight()),
                            location.getIndex())));
          }
          out.onNext(r.build());
          out.onCompleted();
        });
  }

  private static void checkImageId(String imageId) {
    if (imageId.isEmpty() || imageId.length() > 128) {
      throw invalid("image_id must be 1..128 characters");
    }
  }

  @Override
  public void listTxsByImage(ListTxsByImageRequest request, StreamObserver<TxListResponse> out) {
    guard(
        out,
        () -> {
          checkImageId(request.getImageId());
          requireImageReader(request.getImageId());
          TxPage page =
              core.store()
                  .txsByImage(
                      request.getImageId(),
                      request.getPageToken().toByteArray(),
                      pageSize(request.getLimit()));
          out.onNext(listResponse(page));
          out.onCompleted();
        });
  }

  @Override
  public void listTxsBySigner(ListTxsBySignerRequest request, StreamObserver<TxListResponse> out) {
    guard(
        out,
        () -> {
          if (request.getSigner().size() != 32) {
            throw invalid("signer must be a 32-byte public key");
          }
          ByteString caller = PeerIdentityInterceptor.PEER_KEY.get();
          if (!caller.equals(request.getSigner()) && !access.auditorOrValidator(caller)) {
            throw Status.PERMISSION_DENIED
                .withDescription("only the signer itself, auditors and validators may list its txs")
                .asRuntimeException();
          }
          TxPage page =
              core.store()
                  .txsBySigner(
                      request.getSigner(),
                      request.getPageToken().toByteArray(),
                      pageSize(request.getLimit()));
          out.onNext(listResponse(page));
          out.onCompleted();
        });
  }

  private TxListResponse listResponse(TxPage page) {
    TxListResponse.Builder r = TxListResponse.newBuilder();
    for (TxRef ref : page.txs()) {
      // One tx read by hash: a page of 1,000 txs must not parse 1,000 blocks.
      ByteString hash = ByteString.copyFrom(ref.txHash());
      r.addTxs(
          TxSummary.newBuilder()
              .setTxHash(hash)
              .setHeight(ref.height())
              .setIndex(ref.index())
              .setTx(committedTx(hash)));
    }
    return r.setNextPageToken(ByteString.copyFrom(page.nextToken())).build();
  }

  private static int pageSize(int requested) {
    if (requested == 0) {
      return DEFAULT_PAGE_TXS;
    }
    if (requested < 0 || requested > PAGE_TXS_MAX) {
      throw invalid("limit must be 1.." + PAGE_TXS_MAX);
    }
    return requested;
  }

  @Override
  public void getModel(GetModelRequest request, StreamObserver<ModelRecord> out) {
    guard(
        out,
        () -> {
          if (request.getModelId().isEmpty()
              || request.getModelId().length() > 64
              || request.getVersion().isEmpty()
              || request.getVersion().length() > 64) {
            throw invalid("model_id and version must be 1..64 characters");
          }
          byte[] raw =
              core.store().state(StateKeys.model(request.getModelId(), request.getVersion()));
          if (raw == null) {
            throw Status.NOT_FOUND
                .withDescription(
                    "model "
                        + request.getModelId()
                        + "@"
                        + request.getVersion()
                        + " is not anchored")
                .asRuntimeException();
          }
          try {
            out.onNext(ModelRecord.parseFrom(raw));
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new StorageCorruptionException("storage corruption: unparsable model record", e);
          }
          out.onCompleted();
        });
  }

  @Override
  public void subscribeBlocks(SubscribeBlocksRequest request, StreamObserver<BlockResponse> out) {
    var call = (ServerCallStreamObserver<BlockResponse>) out;
    if (!streamSlots.tryAcquire()) {
      out.onError(
          Status.RESOURCE_EXHAUSTED.withDescription("too many block streams").asRuntimeException());
      return;
    }
    // The client's readiness wakes the stream thread; a client that does not read is never sent
    // more than the transport's buffer plus one block, and is ended after streamStallMsMax.
    Object readiness = new Object();
    Runnable wake =
        () -> {
          synchronized (readiness) {
            readiness.notifyAll();
          }
        };
    call.setOnReadyHandler(wake);
    call.setOnCancelHandler(wake);
    long from = Math.max(1, request.getFromHeight());
    streamThreads.execute(
        () -> {
          boolean released = false;
          try {
            long next = from;
            while (!call.isCancelled()) {
              if (next > core.store().height()) {
                core.hub().awaitHeight(next, STREAM_POLL_MS);
                continue;
              }
              if (!awaitReady(call, readiness)) {
                if (!call.isCancelled()) {
                  // Free the slot first: the client may subscribe again as soon as it hears.
                  streamSlots.release();
                  released = true;
                  call.onError(
                      Status.RESOURCE_EXHAUSTED
                          .withDescription(
                              "block stream ended: the client read nothing for "
                                  + streamStallMsMax
                                  + " ms")
                          .asRuntimeException());
                }
                return;
              }
              CommittedBlock block = core.store().block(next).orElseThrow();
              synchronized (call) {
                call.onNext(blockResponse(block));
              }
              next++;
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.onError(
                Status.UNAVAILABLE.withDescription("node is stopping").asRuntimeException());
          } catch (io.grpc.StatusRuntimeException e) {
            // The client went away.
          } catch (RuntimeException e) {
            call.onError(
                Status.INTERNAL.withDescription("block stream failed").asRuntimeException());
          } finally {
            if (!released) {
              streamSlots.release();
            }
          }
        });
  }

  /**
   * Waits until the client can take a message. False when it stays not ready for {@link
   * #streamStallMsMax} or the call is cancelled.
   */
  private boolean awaitReady(ServerCallStreamObserver<?> call, Object readiness)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(streamStallMsMax);
    synchronized (readiness) {
      while (!call.isReady()) {
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (call.isCancelled() || leftMs <= 0) {
          return false;
        }
        readiness.wait(leftMs);
      }
    }
    return true;
  }

  private static io.grpc.StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  /** Maps operating errors to gRPC statuses; corruption is reported, never answered around. */
  static <T> void guard(StreamObserver<T> out, Runnable body) {
    try {
      body.run();
    } catch (io.grpc.StatusRuntimeException e) {
      out.onError(e);
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    } catch (StorageCorruptionException e) {
      org.slf4j.LoggerFactory.getLogger(LedgerQueryService.class).error("{}", e.getMessage());
      out.onError(Status.DATA_LOSS.withDescription(e.getMessage()).asRuntimeException());
    }
  }
}
