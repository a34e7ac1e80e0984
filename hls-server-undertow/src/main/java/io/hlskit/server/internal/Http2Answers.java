package io.hlskit.server.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Protocols;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.conduits.StreamSinkConduit;

/**
 * Keeps, for each HTTP/2 connection, the answers in flight on it, so that an answer can be ended
 * at once with everything it holds: its file, its buffers, a worker blocked writing it.
 *
 * <p>Undertow lets go of a stream that is reset, by the client or by the server, only once the
 * data queued on it is sent or its write timeout (the idle timeout) has passed. A stream whose
 * flow-control window the client keeps shut sends nothing, so a client that opens streams, lets
 * their answers begin and resets them can keep many more answers, each with its file and
 * buffers, than it may have streams open; and a stream reset at its send deadline would hold
 * everything until the idle timeout. Here: {@link SendDeadline} ends an answer past its deadline
 * through {@link #release}, and a connection with more answers in flight than {@value
 * #MAX_IN_FLIGHT} (twice the streams it may have open at once: the rest were reset, and Undertow
 * no longer counts them) has them all ended.
 */
public final class Http2Answers implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Http2Answers.class);
  /** The streams an HTTP/2 client may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS). */
  public static final int MAX_STREAMS = 100;
  /** Twice the streams an HTTP/2 client may have open at once. */
  static final int MAX_IN_FLIGHT = 2 * MAX_STREAMS;

  private static final AttachmentKey<Answer> ANSWER = AttachmentKey.create(Answer.class);
  /** Per connection: HTTP/2 exchanges share their connection's attachments. */
  private static final AttachmentKey<InFlight> IN_FLIGHT = AttachmentKey.create(InFlight.class);

  private final HttpHandler next;

  public Http2Answers(HttpHandler next) {
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (exchange.getProtocol().equals(Protocols.HTTP_2_0)) {
      track(exchange);
    }
    next.handleRequest(exchange);
  }

  /** The answers in flight on one connection, added to and removed from on any thread. */
  private static final class InFlight {
    final Set<Answer> answers = ConcurrentHashMap.newKeySet();
    volatile boolean warned;
  }

  /** One answer: the conduit its body goes through, once the body has begun. */
  private static final class Answer {
    final HttpServerExchange exchange;
    volatile StreamSinkConduit conduit;

    Answer(HttpServerExchange exchange) {
      this.exchange = exchange;
    }
  }

  private static void track(HttpServerExchange exchange) {
    Answer answer = new Answer(exchange);
    exchange.putAttachment(ANSWER, answer);
    exchange.addResponseWrapper((factory, ex) -> {
      StreamSinkConduit conduit = factory.create();
      answer.conduit = conduit;
      return conduit;
    });
    InFlight inFlight = inFlight(exchange);
    Set<Answer> answers = inFlight.answers;
    answers.add(answer);
    exchange.addExchangeCompleteListener((ex, nextListener) -> {
      answers.remove(answer);
      nextListener.proceed();
    });
    if (answers.size() > MAX_IN_FLIGHT) {
      List<Answer> stuck = new ArrayList<>(answers);
      stuck.remove(answer);
      answers.removeAll(stuck);
      if (!inFlight.warned) {
        inFlight.warned = true;
        LOG.info("an HTTP/2 client from {} left {} answers in flight, more than it may have "
            + "streams open: it resets streams it never let the server send; ending them",
            ExchangeAccess.address(exchange.getSourceAddress()), stuck.size());
      }
      // Undertow runs handlers on workers; a connection's streams are the I/O thread's alone
      exchange.getIoThread().execute(() -> stuck.forEach(Http2Answers::end));
    }
  }

  /** The connection's answers in flight: HTTP/2 exchanges share their connection's attachments. */
  private static InFlight inFlight(HttpServerExchange exchange) {
    InFlight inFlight = exchange.getConnection().getAttachment(IN_FLIGHT);
    if (inFlight == null) {
      synchronized (IN_FLIGHT) { // once per connection; its first streams may race
        inFlight = exchange.getConnection().getAttachment(IN_FLIGHT);
        if (inFlight == null) {
          inFlight = new InFlight();
          exchange.getConnection().putAttachment(IN_FLIGHT, inFlight);
        }
      }
    }
    return inFlight;
  }

  /**
   * Ends {@code exchange}'s answer at once if it is an HTTP/2 one: its stream is reset and what
   * the answer holds let go. Call on the exchange's I/O thread. False for other protocols, whose
   * connection is to be closed instead.
   */
  static boolean release(HttpServerExchange exchange) {
    Answer answer = exchange.getAttachment(ANSWER);
    if (answer == null) {
      return false;
    }
    InFlight inFlight = exchange.getConnection().getAttachment(IN_FLIGHT);
    if (inFlight != null) {
      inFlight.answers.remove(answer);
    }
    end(answer);
    return true;
  }

  private static void end(Answer answer) {
    StreamSinkConduit conduit = answer.conduit;
    if (conduit == null) { // no body begun: nothing queued, a RST_STREAM is all
      IoUtils.safeClose(answer.exchange.getConnection());
      return;
    }
    try {
      // closes the stream whatever it has queued: its buffers go back, its writer is woken
      // with an error, and the client is sent a RST_STREAM unless it sent one
      conduit.truncateWrites();
    } catch (IOException e) {
      LOG.debug("ending an HTTP/2 answer: {}", e.toString());
    }
  }
}
