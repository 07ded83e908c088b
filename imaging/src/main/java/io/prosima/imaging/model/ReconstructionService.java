package io.prosima.imaging.model;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.tiling.QuantizedLatent;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs reconstructions on one dedicated worker thread with a bounded queue, so network and
 * consensus threads only enqueue work and never run a model. When the queue is full a request is
 * refused at once (the future fails with {@link RejectedExecutionException}) rather than blocking
 * the caller.
 */
public final class ReconstructionService implements AutoCloseable {
  /** Requests waiting beyond the one running. */
  public static final int QUEUE_REQUESTS_MAX = 16;

  private final ImageReconstructor model;
  private final ThreadPoolExecutor worker;

  public ReconstructionService(ImageReconstructor model) {
    this.model = model;
    this.worker =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE_REQUESTS_MAX),
            r -> {
              Thread t = new Thread(r, "prosima-inference");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** Reconstructs {@code image} conditioned on {@code latents} (the anchored z*) off-thread. */
  public CompletableFuture<GrayImage> submit(GrayImage image, List<QuantizedLatent> latents) {
    CompletableFuture<GrayImage> result = new CompletableFuture<>();
    try {
      worker.execute(
          () -> {
            try {
              result.complete(model.reconstruct(image, latents));
            } catch (Exception | Error e) {
              result.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          new RejectedExecutionException(
              "inference queue full (" + QUEUE_REQUESTS_MAX + " waiting); request refused"));
    }
    return result;
  }

  /** Stops accepting work and waits up to {@code timeoutMs} for queued requests to finish. */
  public void close(long timeoutMs) throws InterruptedException {
    worker.shutdown();
    worker.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
