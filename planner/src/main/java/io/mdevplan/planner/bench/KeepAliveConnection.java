package io.mdevplan.planner.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import io.mdevplan.planner.service.BearerToken;

/**
 * One blocking HTTP/1.1 keep-alive connection for the load generator's small JSON exchanges: a request written in one
 * go, the answer read by Content-Length or chunks. It costs the load generator a fraction of what
 * {@code java.net.http.HttpClient} does per request, which matters when client and service share two cores. Plain
 * http only; reconnects when the server closes. Not thread-safe: one per load thread. With a token, every request
 * carries it as {@code Authorization: Bearer}; without, none (a service started with auth disabled).
 */
final class KeepAliveConnection implements AutoCloseable {

    /** An answer: status, Content-Type (or null), body as UTF-8. */
    record Response(int status, String contentType, String body) {
    }

    private static final int MAX_HEADER_LINE = 16 * 1024;

    private final String host;
    private final int port;
    private final int timeoutMillis;
    /** The whole header line, or empty: written into every request head. */
    private final String authorizationLine;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** {@code token} null to send none. */
    KeepAliveConnection(URI base, Duration timeout, BearerToken token) {
        if (!"http".equals(base.getScheme())) {
            throw new IllegalArgumentException("The load generator speaks plain http, not " + base.getScheme() + " ("
                    + base + "). Maybe run it next to the service over http.");
        }
        this.host = base.getHost();
        this.port = base.getPort() < 0 ? 80 : base.getPort();
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
        this.authorizationLine = token == null ? "" : "Authorization: " + token.header() + "\r\n";
    }

    /** Sends one request ({@code json} null for none) and reads the whole answer. */
    Response exchange(String method, String path, String json) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            return exchangeOnce(method, path, json);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private Response exchangeOnce(String method, String path, String json) throws IOException {
        var body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        var head = new StringBuilder(160).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(host).append(':').append(port).append("\r\nAccept: application/json\r\n")
                .append(authorizationLine);
        if (json != null) {
            head.append("Content-Type: application/json\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();

        var statusLine = line();
        var parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("Not an HTTP/1.x status line: " + statusLine);
        }
        var status = Integer.parseInt(parts[1]);
        String contentType = null;
        var length = -1;
        var chunked = false;
        var closeAfter = false;
        for (var header = line(); !header.isEmpty(); header = line()) {
            var colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            var name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            var value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-type" -> contentType = value;
                case "content-length" -> length = Integer.parseInt(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> {
                }
            }
        }
        var answer = chunked ? chunks() : length >= 0 ? exactly(length) : untilClosed();
        if (closeAfter || (!chunked && length < 0)) {
            close();
        }
        return new Response(status, contentType, new String(answer, StandardCharsets.UTF_8));
    }

    private void connect() throws IOException {
        var opened = new Socket();
        opened.setTcpNoDelay(true);
        opened.setSoTimeout(timeoutMillis);
        opened.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket = opened;
        in = new BufferedInputStream(opened.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(opened.getOutputStream(), 16 * 1024);
    }

    private String line() throws IOException {
        var line = new StringBuilder(64);
        for (var c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("The server closed the connection mid-answer");
            }
            if (c != '\r') {
                line.append((char) c);
            }
            if (line.length() > MAX_HEADER_LINE) {
                throw new IOException("A header line over " + MAX_HEADER_LINE + " bytes");
            }
        }
        return line.toString();
    }

    private byte[] exactly(int length) throws IOException {
        var bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("The server closed the connection after " + bytes.length + " of " + length
                    + " bytes");
        }
        return bytes;
    }

    private byte[] chunks() throws IOException {
        var body = new ByteArrayOutputStream();
        while (true) {
            var size = line();
            var extension = size.indexOf(';');
            var length = Integer.parseInt((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
            if (length == 0) {
                // trailers, then the empty line
                while (!line().isEmpty()) {
                    // skipped
                }
                return body.toByteArray();
            }
            body.write(exactly(length));
            line();
        }
    }

    private byte[] untilClosed() throws IOException {
        return in.readAllBytes();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a connection that failed: nothing left to do with it
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
