package io.hlskit.transcode;

import io.hlskit.core.TranscodeCancelledException;
import io.hlskit.core.TranscodeException;
import io.hlskit.core.channel.ChannelMetadata;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transcode handed to {@link Transcoder#submit}: its state, its latest progress, its result,
 * and a way to cancel it. Thread-safe.
 *
 * <pre>{@code
 * TranscodeJob job = transcoder.submit(request, store);
 * job.result().thenAccept(channel -> System.out.println("published " + channel.id()));
 * ...
 * job.cancel();   // stops within a second; nothing is published
 * }</pre>
 */
public final class TranscodeJob {
  private static final Logger LOG = LoggerFactory.getLogger(TranscodeJob.class);

  /** Where a job is. */
  public enum State {
    /** Waiting for a transcoding thread. */
    QUEUED,
    /** Decoding, encoding and writing the channel into a draft. */
    RUNNING,
    /** Publishing the draft: too late to cancel. */
    PUBLISHING,
    /** Published. */
    DONE,
    /** Failed; nothing published. */
    FAILED,
    /** Cancelled; nothing published. */
    CANCELLED;

    /** Whether the job has ended. */
    public boolean isFinal() {
      return this == DONE || this == FAILED || this == CANCELLED;
    }
  }

  private final TranscodeRequest request;
  private final TranscodeListener listener;
  private final Result result = new Result();
  private final Object lock = new Object();
  private State state = State.QUEUED; // guarded by lock
  private boolean cancelRequested; // guarded by lock
  private volatile Progress progress;

  TranscodeJob(TranscodeRequest request, TranscodeListener listener) {
    this.request = request;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** What this job transcodes. */
  public TranscodeRequest request() {
    return request;
  }

  /** Where the job is now. */
  public State state() {
    synchronized (lock) {
      return state;
    }
  }

  /** The latest progress reported; empty before the first. */
  public Optional<Progress> progress() {
    return Optional.ofNullable(progress);
  }

  /**
   * The published channel, once it is. Completes exceptionally with the {@link
   * TranscodeException} that failed the job, or is {@linkplain CompletableFuture#isCancelled
   * cancelled} when the job is. Cancelling this future is {@link #cancel}: a running job's
   * future shows cancelled once the job has stopped, within a second.
   */
  public CompletableFuture<ChannelMetadata> result() {
    return result;
  }

  /**
   * Cancels the job: a queued one never starts, a running one stops within a second (its
   * {@link #result} completes then). Nothing is published and no temporary file is left.
   *
   * @return false when it is too late: the job is publishing or has ended
   */
  public boolean cancel() {
    synchronized (lock) {
      if (state == State.QUEUED) {
        state = State.CANCELLED;
      } else if (state == State.RUNNING) {
        cancelRequested = true; // the transcoding thread sees it at its next frame
        return true;
      } else {
        return false;
      }
    }
    result.cancelled();
    notify(() -> listener.onCancelled(this));
    return true;
  }

  /** Whether {@link #cancel} was called while the job ran. */
  boolean cancelRequested() {
    synchronized (lock) {
      return cancelRequested;
    }
  }

  /** From the queue to running; false when it was cancelled while queued. */
  boolean start() {
    synchronized (lock) {
      if (state != State.QUEUED) {
        return false;
      }
      state = State.RUNNING;
    }
    notify(() -> listener.onStarted(this));
    return true;
  }

  /**
   * About to publish: past here the job cannot be cancelled.
   *
   * @throws TranscodeCancelledException when it was cancelled meanwhile
   */
  void publishing() {
    synchronized (lock) {
      if (cancelRequested) {
        throw cancelledException();
      }
      state = State.PUBLISHING;
    }
  }

  TranscodeCancelledException cancelledException() {
    return new TranscodeCancelledException("the transcode of " + request.input()
        + " into channel " + request.channelId() + " was cancelled");
  }

  void progressed(Progress p) {
    progress = p;
    notify(() -> listener.onProgress(this, p));
  }

  void finished(ChannelMetadata channel) {
    end(State.DONE);
    notify(() -> listener.onFinished(this, channel));
    result.complete(channel);
  }

  void failed(TranscodeException error) {
    end(State.FAILED);
    notify(() -> listener.onFailed(this, error));
    result.completeExceptionally(error);
  }

  void cancelled() {
    end(State.CANCELLED);
    notify(() -> listener.onCancelled(this));
    result.cancelled();
  }

  private void end(State s) {
    synchronized (lock) {
      state = s;
    }
  }

  private void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("a transcode listener of channel {} threw; ignored", request.channelId(), e);
    }
  }

  @Override
  public String toString() {
    return "TranscodeJob[" + request.channelId() + ", " + state() + "]";
  }

  /** The result, whose cancellation cancels the job. */
  private final class Result extends CompletableFuture<ChannelMetadata> {
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return TranscodeJob.this.cancel();
    }

    void cancelled() {
      super.cancel(false);
    }
  }
}
