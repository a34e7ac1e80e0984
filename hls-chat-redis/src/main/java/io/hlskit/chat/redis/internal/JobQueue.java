package io.hlskit.chat.redis.internal;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ingest jobs' Redis side: one stream of job entries read by a consumer group ({@code
 * workers}), and one hash per job with its request, state, progress, worker, attempts and error.
 * Every change of state is one Lua script, so two workers or a worker and a cancel never see a
 * half-made change. Thread-safe as far as the commands given are (Lettuce's are).
 */
public final class JobQueue {
  /** The consumer group every worker reads the stream through. */
  public static final String GROUP = "workers";

  private static final String SUBMIT = LuaScripts.load("job-submit");
  private static final String START = LuaScripts.load("job-start");
  private static final String BEAT = LuaScripts.load("job-beat");
  private static final String END = LuaScripts.load("job-end");
  private static final String CANCEL = LuaScripts.load("job-cancel");
  private static final String SWEEP = LuaScripts.load("consumers-sweep");

  private final String namespace;
  private final String stream;
  private final long keepEndedSeconds;

  /**
   * The queue under {@code namespace}'s keys.
   *
   * @param keepEnded how long an ended job's hash is kept for those who poll it
   */
  public JobQueue(String namespace, Duration keepEnded) {
    this.namespace = namespace;
    this.stream = namespace + ":jobs";
    this.keepEndedSeconds = Math.max(1, keepEnded.toSeconds());
  }

  /** The stream of job entries. */
  public String stream() {
    return stream;
  }

  private String job(String id) {
    return namespace + ":job:" + id;
  }

  /**
   * Makes the consumer group (and the stream) unless there is one: at the start, and again
   * after a Redis that lost its data. It reads from the stream's start, so jobs queued before
   * any worker came are not missed.
   */
  public void ensureGroup(RedisCommands<String, String> redis) {
    try {
      redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), GROUP,
          XGroupCreateArgs.Builder.mkstream());
    } catch (RedisBusyException e) {
      // BUSYGROUP: there is one
    }
  }

  /** Queues a job; false when {@code capacity} entries already wait. */
  public boolean submit(RedisCommands<String, String> redis, String id, Map<String, String> request,
      long now, int capacity) {
    String r = redis.eval(SUBMIT, ScriptOutputType.VALUE, new String[] {job(id), stream}, id,
        request.get("channel"), request.get("title"), request.get("profile"),
        request.getOrDefault("filename", ""), request.get("visibility"),
        request.get("quality"), Long.toString(now), Integer.toString(capacity));
    return "queued".equals(r);
  }

  /** The job's fields, empty when Redis holds no such job (never was, or ended long ago). */
  public Optional<Map<String, String>> fields(RedisCommands<String, String> redis, String id) {
    Map<String, String> f = redis.hgetall(job(id));
    return f == null || f.isEmpty() ? Optional.empty() : Optional.of(f);
  }

  /**
   * The next new entry for {@code worker}, waiting up to {@code block}; null when none came. Give
   * a connection of the caller's own: a blocked read holds its connection.
   */
  public StreamMessage<String, String> readNew(RedisCommands<String, String> ownConnection,
      String worker, Duration block) {
    List<StreamMessage<String, String>> got = ownConnection.xreadgroup(
        Consumer.from(GROUP, worker), XReadArgs.Builder.block(block).count(1),
        XReadArgs.StreamOffset.lastConsumed(stream));
    return got == null || got.isEmpty() ? null : got.get(0);
  }

  /** An entry whose worker has not beaten for {@code idle}, now {@code worker}'s; or null. */
  public StreamMessage<String, String> claimStale(RedisCommands<String, String> redis,
      String worker, Duration idle) {
    ClaimedMessages<String, String> claimed = redis.xautoclaim(stream,
        XAutoClaimArgs.Builder.xautoclaim(Consumer.from(GROUP, worker), idle, "0-0").count(1));
    if (claimed == null) {
      return null;
    }
    for (StreamMessage<String, String> m : claimed.getMessages()) {
      if (m.getBody() != null && m.getBody().containsKey("job")) {
        return m;
      }
    }
    return null;
  }

  /**
   * What to do with an entry a worker got: {@code run} (with the attempt's number), or why not:
   * {@code gone}, {@code stale}, {@code ended}, {@code cancelled}, {@code failed} (out of
   * attempts); the entry is then acknowledged and deleted.
   */
  public Start start(RedisCommands<String, String> redis, String id, String entry, String worker,
      long now, int maxAttempts) {
    List<Object> r = redis.eval(START, ScriptOutputType.MULTI, new String[] {job(id), stream},
        worker, Long.toString(now), Integer.toString(maxAttempts), entry, GROUP,
        Long.toString(keepEndedSeconds));
    String verdict = String.valueOf(r.get(0));
    int attempt = r.size() > 1 ? ((Number) r.get(1)).intValue() : 0;
    return new Start(verdict, attempt);
  }

  /** A worker's verdict on an entry, and the attempt it starts. */
  public record Start(String verdict, int attempt) {
    public boolean run() {
      return verdict.equals("run");
    }
  }

  /** A heartbeat: {@code ok}, {@code cancel} (stop: asked to) or {@code lost} (stop: not ours). */
  public String beat(RedisCommands<String, String> redis, String id, String entry, String worker,
      int attempt, double progress, long now) {
    return redis.eval(BEAT, ScriptOutputType.VALUE, new String[] {job(id), stream}, worker,
        Integer.toString(attempt), Double.toString(progress), Long.toString(now), entry, GROUP);
  }

  /**
   * Ends an attempt with {@code outcome}: done, failed, cancelled, retry or release (see the
   * script); answers the outcome, or {@code lost} when the job is no longer this attempt's.
   */
  public String end(RedisCommands<String, String> redis, String id, String entry, String worker,
      int attempt, String outcome, String message, long now) {
    return redis.eval(END, ScriptOutputType.VALUE, new String[] {job(id), stream}, worker,
        Integer.toString(attempt), outcome, message == null ? "" : message, Long.toString(now),
        entry, GROUP, Long.toString(keepEndedSeconds), id);
  }

  /** Asks a job to stop: {@code none}, {@code dropped} (was queued), {@code asked}, {@code ended}. */
  public String cancel(RedisCommands<String, String> redis, String id, long now) {
    return redis.eval(CANCEL, ScriptOutputType.VALUE, new String[] {job(id)},
        Long.toString(now), Long.toString(keepEndedSeconds));
  }

  /**
   * Removes the group's consumers that hold no entry and have not read for {@code idle}: workers
   * gone without closing (each worker is a consumer, named anew at every start). With {@code
   * closing}, also that consumer if it holds no entry. Answers how many went.
   */
  public long removeGoneConsumers(RedisCommands<String, String> redis, Duration idle,
      String closing) {
    Long removed = redis.eval(SWEEP, ScriptOutputType.INTEGER, new String[] {stream}, GROUP,
        Long.toString(idle.toMillis()), closing == null ? "" : closing);
    return removed == null ? 0 : removed;
  }

  /** Entries in the stream not yet handed to a worker, roughly (for a gauge). */
  public long waiting(RedisCommands<String, String> redis) {
    long length = redis.xlen(stream);
    long pending = 0;
    try {
      pending = redis.xpending(stream, GROUP).getCount();
    } catch (RuntimeException e) {
      // no group yet: nothing handed out
    }
    return Math.max(0, length - pending);
  }
}
