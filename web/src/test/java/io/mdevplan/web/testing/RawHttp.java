package io.mdevplan.web.testing;

import java.io.IOException;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Sends only the head of a request announcing a body (as a client does that waits for 100 Continue) and reads the
 * answer: what a server that refuses a body by its Content-Length must answer without reading it. (The JDK 17
 * HttpClient hangs when the answer to Expect: 100-continue is final, so it cannot be used for this.)
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** The answer's status, Content-Type and body. */
    public record Answer(int status, String contentType, String body) {
    }

    public static Answer announce(URL url, String method, long contentLength) throws IOException {
        try (var socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            var request = method + " " + url.getPath() + " HTTP/1.1\r\n"
                    + "Host: " + url.getHost() + ":" + url.getPort() + "\r\n"
                    + "Authorization: Bearer " + AdminTokenByDefault.ADMIN_TOKEN + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + contentLength + "\r\n"
                    + "Expect: 100-continue\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            var in = socket.getInputStream();
            var head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                var c = in.read();
                if (c < 0) {
                    throw new IOException("The server closed the connection after " + head + ".");
                }
                head.append((char) c);
            }
            var status = Integer.parseInt(head.substring(9, 12));
            String contentType = null;
            var length = 0;
            for (var line : head.toString().split("\r\n")) {
                var lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-type:")) {
                    contentType = line.substring("content-type:".length()).strip();
                } else if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).strip());
                }
            }
            var body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new Answer(status, contentType, body);
        }
    }
}
