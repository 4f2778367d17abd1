package io.mdevplan.web.http;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonToken;

import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemItem;
import io.mdevplan.web.problem.ProblemType;

/**
 * Refuses a body whose strings hold the NUL character (JSON's escape backslash-u0000): no name or text of this API
 * may hold it, and PostgreSQL cannot store it in text, so a later write would fail. The bytes are scanned for the
 * escape first; only a body that has one is parsed again to name the JSON path.
 */
final class NulCharacters {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] ESCAPE = {'\\', 'u', '0', '0', '0', '0'};

    private NulCharacters() {
    }

    static void refuseIn(byte[] body) {
        if (!hasEscape(body)) {
            return;
        }
        var path = pathOfNul(body);
        if (path == null) {
            return;
        }
        throw new ProblemException(ProblemType.INVALID_BODY, "A string of the body holds the NUL character"
                + " (\\u0000) at " + path + ". Maybe remove it: no name or text here may hold it.",
                List.of(new ProblemItem(path, null, "holds the NUL character (\\u0000)")));
    }

    /** Whether the bytes hold backslash-u0000 with the backslash not itself escaped. */
    private static boolean hasEscape(byte[] body) {
        outer:
        for (var i = 0; i + ESCAPE.length <= body.length; i++) {
            for (var j = 0; j < ESCAPE.length; j++) {
                if (body[i + j] != ESCAPE[j]) {
                    continue outer;
                }
            }
            var backslashes = 0;
            for (var k = i - 1; k >= 0 && body[k] == '\\'; k--) {
                backslashes++;
            }
            if (backslashes % 2 == 0) {
                return true;
            }
        }
        return false;
    }

    /** The JSON path of the first field name or string holding NUL; null if none does (or it is not JSON). */
    private static String pathOfNul(byte[] body) {
        try (var parser = JSON.createParser(body)) {
            for (var token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if ((token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME)
                        && parser.getText().indexOf('\u0000') >= 0) {
                    return jsonPath(parser.getParsingContext().pathAsPointer().toString());
                }
            }
            return null;
        } catch (IOException notJson) {
            // the strict reader refuses it with its own message
            return null;
        }
    }

    /** "/hosts/0/name" as "$.hosts[0].name". */
    private static String jsonPath(String pointer) {
        var path = new StringBuilder("$");
        if (pointer.isEmpty()) {
            return path.toString();
        }
        for (var segment : pointer.substring(1).split("/", -1)) {
            var name = segment.replace("~1", "/").replace("~0", "~");
            if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                path.append('[').append(name).append(']');
            } else {
                path.append('.').append(name);
            }
        }
        return path.toString();
    }
}
