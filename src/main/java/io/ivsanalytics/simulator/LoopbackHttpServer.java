package io.ivsanalytics.simulator;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server on 127.0.0.1 for the simulator: persistent connections, one thread per
 * open connection, TCP_NODELAY, and every response written with a single write of its status line,
 * headers and body (a split write meets Nagle's algorithm and the client's delayed ACK and costs
 * ~40 ms per answer). Request bodies with {@code Content-Length} or chunked encoding.
 */
final class LoopbackHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoopbackHttpServer.class);
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
  private static final int IDLE_TIMEOUT_MS = 120_000;

  /** A parsed request; header names are lower case. */
  record Request(String method, String path, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** An answer; {@link #RESET} closes the connection without any response. */
  record Response(int status, List<String[]> headers, byte[] body) {
    static final Response RESET = new Response(0, List.of(), new byte[0]);
  }

  interface Handler {
    Response handle(Request request) throws InterruptedException;
  }

  private final ServerSocket socket;
  private final Handler handler;
  private final ExecutorService connections;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  LoopbackHttpServer(int port, int backlog, Handler handler) throws IOException {
    this.handler = handler;
    this.socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), backlog);
    AtomicInteger n = new AtomicInteger();
    this.connections =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "ivs-simulator-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.acceptor = new Thread(this::acceptLoop, "ivs-simulator-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      LOG.debug("closing the listening socket: {}", e.toString());
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
    connections.shutdownNow();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("accept failed: {}", e.toString());
          try {
            Thread.sleep(50);
          } catch (InterruptedException ie) {
            return;
          }
        }
        continue;
      }
      open.add(s);
      try {
        connections.execute(() -> serve(s));
      } catch (RuntimeException e) {
        open.remove(s);
        closeQuietly(s);
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(IDLE_TIMEOUT_MS);
      InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
      OutputStream out = s.getOutputStream();
      while (!closed) {
        Request req = read(in);
        if (req == null) {
          return;
        }
        Response resp = handler.handle(req);
        if (resp == Response.RESET) {
          s.setSoLinger(true, 0);
          return;
        }
        boolean keepAlive = !"close".equalsIgnoreCase(req.header("connection"));
        out.write(encode(resp, keepAlive));
        out.flush();
        if (!keepAlive) {
          return;
        }
      }
    } catch (SocketTimeoutException | EOFException e) {
      // idle or half-sent request: drop the connection
    } catch (SocketException e) {
      LOG.trace("connection closed: {}", e.toString());
    } catch (IOException | RuntimeException e) {
      LOG.debug("connection failed: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(s);
    }
  }

  /** The next request on the connection, or null at a clean end of stream. */
  private static Request read(InputStream in) throws IOException {
    String requestLine = line(in, true);
    while (requestLine != null && requestLine.isEmpty()) {
      requestLine = line(in, true);
    }
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x request line: " + requestLine);
    }
    Map<String, String> headers = new TreeMap<>();
    int size = 0;
    for (String h = line(in, false); !h.isEmpty(); h = line(in, false)) {
      size += h.length();
      if (size > MAX_HEADER_BYTES) {
        throw new IOException("request headers too large");
      }
      int colon = h.indexOf(':');
      if (colon > 0) {
        headers.merge(
            h.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            h.substring(colon + 1).strip(),
            (a, b) -> a + "," + b);
      }
    }
    if (parts[2].equals("HTTP/1.0") && !"keep-alive".equalsIgnoreCase(headers.get("connection"))) {
      headers.put("connection", "close");
    }
    byte[] body;
    String length = headers.get("content-length");
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = chunked(in);
    } else if (length != null) {
      int n;
      try {
        n = Integer.parseInt(length);
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length: " + length);
      }
      if (n < 0 || n > MAX_BODY_BYTES) {
        throw new IOException("Content-Length out of range: " + n);
      }
      body = in.readNBytes(n);
      if (body.length != n) {
        throw new EOFException("body shorter than Content-Length");
      }
    } else {
      body = new byte[0];
    }
    String path = parts[1];
    int q = path.indexOf('?');
    return new Request(parts[0], q < 0 ? path : path.substring(0, q), headers, body);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(in, false);
      int semi = sizeLine.indexOf(';');
      int n = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip(), 16);
      if (n == 0) {
        while (!line(in, false).isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      if (body.size() + n > MAX_BODY_BYTES) {
        throw new IOException("chunked body too large");
      }
      byte[] chunk = in.readNBytes(n);
      if (chunk.length != n) {
        throw new EOFException("chunk shorter than its size");
      }
      body.write(chunk);
      line(in, false);
    }
  }

  /** One CRLF- (or LF-) terminated line; null at end of stream before any byte when allowed. */
  private static String line(InputStream in, boolean eofAllowed) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (eofAllowed && sb.length() == 0) {
          return null;
        }
        throw new EOFException("connection closed in the middle of a request");
      }
      if (b == '\n') {
        int len = sb.length();
        return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
      }
      if (sb.length() > MAX_HEADER_BYTES) {
        throw new IOException("request line too long");
      }
      sb.append((char) b);
    }
  }

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT);

  private static byte[] encode(Response r, boolean keepAlive) {
    StringBuilder h = new StringBuilder(256);
    h.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
    for (String[] kv : r.headers()) {
      h.append(kv[0]).append(": ").append(kv[1]).append("\r\n");
    }
    h.append("Date: ").append(HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
    h.append("Content-Length: ").append(r.body().length).append("\r\n");
    h.append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
    h.append("\r\n");
    byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[head.length + r.body().length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(r.body(), 0, all, head.length, r.body().length);
    return all;
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      default -> "Status";
    };
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
