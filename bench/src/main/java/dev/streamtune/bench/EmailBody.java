package dev.streamtune.bench;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The readable text of a raw RFC 822 message, as a reader would see it: headers dropped (they carry the mail
 * servers, list names and spam-filter verdicts that would let a classifier read the answer off the envelope rather
 * than the text), MIME parts walked, base64 and quoted-printable decoded in the part's charset, plain-text parts
 * preferred and HTML reduced to its text when a message has no plain part. Attachments (anything not text/*)
 * are left out. Enough of MIME for the SpamAssassin corpus, not a mail library: malformed parts decode to what
 * can be read, never throw.
 */
public final class EmailBody {

    private static final Pattern BOUNDARY = Pattern.compile("boundary\\s*=\\s*\"?([^\";]+)\"?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CHARSET = Pattern.compile("charset\\s*=\\s*\"?([^\";\\s]+)\"?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern INVISIBLE_HTML = Pattern.compile(
            "(?is)<(script|style|head)\\b.*?</\\1\\s*>|<!--.*?-->");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
    private static final Pattern NUMERIC_ENTITY = Pattern.compile("&#(x?)([0-9a-fA-F]+);");
    private static final Map<String, String> NAMED_ENTITIES = Map.of("&nbsp;", " ", "&amp;", "&", "&lt;", "<",
            "&gt;", ">", "&quot;", "\"", "&apos;", "'", "&copy;", "(c)", "&reg;", "(R)");

    private EmailBody() {
    }

    /** The message's readable text (whitespace as it came; the caller normalises). Empty when it has none. */
    public static String text(String message) {
        List<Part> parts = new ArrayList<>();
        collect(message.replace("\r\n", "\n"), parts, 0);
        List<String> plain = parts.stream().filter(p -> !p.html() && !p.text().isBlank()).map(Part::text).toList();
        if (!plain.isEmpty()) {
            return String.join("\n", plain);
        }
        return String.join("\n", parts.stream().filter(Part::html).map(p -> htmlToText(p.text())).toList());
    }

    /** A decoded text leaf: its text and whether it is HTML. */
    private record Part(String text, boolean html) {
    }

    /** Appends the text leaves of one entity (headers + body) in document order. Depth-capped against loops. */
    private static void collect(String entity, List<Part> parts, int depth) {
        if (depth > 8) {
            return;
        }
        int split = entity.indexOf("\n\n");
        Map<String, String> headers = headers(split < 0 ? entity : entity.substring(0, split));
        String body = split < 0 ? "" : entity.substring(split + 2);
        String contentType = headers.getOrDefault("content-type", "text/plain");
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/")) {
            Matcher boundary = BOUNDARY.matcher(contentType);
            if (!boundary.find()) {
                parts.add(new Part(body, false)); // a multipart without a boundary: read it as it stands
                return;
            }
            for (String part : multipartBodies(body, boundary.group(1).strip())) {
                collect(part, parts, depth + 1);
            }
        } else if (type.equals("message/rfc822")) {
            collect(body, parts, depth + 1);
        } else if (type.startsWith("text/") || type.isEmpty()) {
            Matcher charset = CHARSET.matcher(contentType);
            String text = decode(body, headers.getOrDefault("content-transfer-encoding", "7bit"),
                    charset.find() ? charset.group(1) : null);
            parts.add(new Part(text, type.equals("text/html")));
        }
    }

    /** Header names (lower case) to their first value, continuation lines unfolded. */
    static Map<String, String> headers(String block) {
        Map<String, String> headers = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : block.split("\n")) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append(' ').append(line.strip());
                continue;
            }
            if (name != null) {
                headers.putIfAbsent(name, value.toString());
            }
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("From ")) {
                name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                value = new StringBuilder(line.substring(colon + 1).strip());
            } else {
                name = null; // the mbox "From " line, or junk
            }
        }
        if (name != null) {
            headers.putIfAbsent(name, value.toString());
        }
        return headers;
    }

    /** The bodies between "--boundary" lines, up to "--boundary--" (preamble and epilogue dropped). */
    static List<String> multipartBodies(String body, String boundary) {
        List<String> bodies = new ArrayList<>();
        StringBuilder current = null;
        for (String line : body.split("\n", -1)) {
            String trimmed = line.stripTrailing();
            if (trimmed.equals("--" + boundary + "--")) {
                break;
            }
            if (trimmed.equals("--" + boundary)) {
                if (current != null) {
                    bodies.add(current.toString());
                }
                current = new StringBuilder();
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        if (current != null) {
            bodies.add(current.toString());
        }
        return bodies;
    }

    /** A leaf's body, transfer-decoded and then read in its charset (ISO-8859-1 when unknown). */
    static String decode(String body, String transferEncoding, String charsetName) {
        String encoding = transferEncoding.strip().toLowerCase(Locale.ROOT);
        if (!encoding.equals("base64") && !encoding.equals("quoted-printable")) {
            return body;
        }
        byte[] bytes = encoding.equals("base64") ? base64(body) : quotedPrintable(body);
        return new String(bytes, charset(charsetName));
    }

    private static Charset charset(String name) {
        try {
            return name != null && Charset.isSupported(name) ? Charset.forName(name) : StandardCharsets.ISO_8859_1;
        } catch (RuntimeException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    private static byte[] base64(String body) {
        String compact = body.replaceAll("[^A-Za-z0-9+/=]", "");
        int usable = compact.indexOf('=') < 0 ? compact.length() - compact.length() % 4 : compact.length();
        try {
            return Base64.getDecoder().decode(compact.substring(0, usable));
        } catch (IllegalArgumentException e) {
            return new byte[0]; // truncated or corrupt: the part has no readable text
        }
    }

    static byte[] quotedPrintable(String body) {
        byte[] in = body.getBytes(StandardCharsets.ISO_8859_1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] != '=') {
                out.write(in[i]);
            } else if (i + 1 < in.length && in[i + 1] == '\n') {
                i++; // soft line break
            } else if (i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
                i += 2;
            } else {
                out.write(in[i]); // a stray '=' stays
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }

    /** The text of an HTML body: scripts, styles and comments dropped, tags become spaces, entities resolved. */
    static String htmlToText(String html) {
        String text = TAG.matcher(INVISIBLE_HTML.matcher(html).replaceAll(" ")).replaceAll(" ");
        for (Map.Entry<String, String> entity : NAMED_ENTITIES.entrySet()) {
            text = text.replace(entity.getKey(), entity.getValue())
                    .replace(entity.getKey().toUpperCase(Locale.ROOT), entity.getValue());
        }
        Matcher numeric = NUMERIC_ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (numeric.find()) {
            int cp;
            try {
                cp = Integer.parseInt(numeric.group(2), numeric.group(1).isEmpty() ? 10 : 16);
            } catch (NumberFormatException e) {
                cp = -1;
            }
            numeric.appendReplacement(out, Character.isValidCodePoint(cp)
                    ? Matcher.quoteReplacement(new String(Character.toChars(cp))) : " ");
        }
        numeric.appendTail(out);
        return out.toString();
    }
}
