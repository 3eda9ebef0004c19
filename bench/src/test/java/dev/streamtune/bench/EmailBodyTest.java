package dev.streamtune.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Hand-written messages in the shapes the SpamAssassin corpus has. */
class EmailBodyTest {

    @Test
    void aPlainMessageLosesItsHeadersFoldedOnesIncluded() {
        String message = "From someone@example.com  Thu Aug 22 12:36:23 2002\n"
                + "Received: from localhost\n"
                + "\tby phobos.labs.example.com (Postfix)\n"
                + "Subject: exmh bug\n"
                + "X-Spam-Status: No, hits=-5.0\n"
                + "\n"
                + "The sequences window shows the wrong folder.\n";
        assertEquals("The sequences window shows the wrong folder.\n", EmailBody.text(message));
    }

    @Test
    void quotedPrintableIsDecodedInThePartsCharset() {
        String message = "Content-Type: text/plain; charset=\"utf-8\"\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n"
                + "\r\n"
                + "Caf=C3=A9 au lait, a very long line that was =\r\nsoft-broken.";
        assertEquals("Café au lait, a very long line that was soft-broken.", EmailBody.text(message));
    }

    @Test
    void multipartAlternativePrefersThePlainPart() {
        String message = "Content-Type: multipart/alternative; boundary=\"XYZ\"\n"
                + "\n"
                + "This is a multi-part message in MIME format.\n"
                + "--XYZ\n"
                + "Content-Type: text/plain\n"
                + "\n"
                + "Buy now\n"
                + "--XYZ\n"
                + "Content-Type: text/html\n"
                + "\n"
                + "<b>Buy now</b>\n"
                + "--XYZ--\n"
                + "epilogue\n";
        assertEquals("Buy now\n", EmailBody.text(message));
    }

    @Test
    void htmlOnlyMailIsReducedToItsTextAndAttachmentsAreLeftOut() {
        String message = "Content-Type: multipart/mixed; boundary=b1\n"
                + "\n"
                + "--b1\n"
                + "Content-Type: text/html; charset=us-ascii\n"
                + "Content-Transfer-Encoding: base64\n"
                + "\n"
                + java.util.Base64.getMimeEncoder().encodeToString(("<html><head><style>p {}</style></head><body>"
                + "<p>Lowest&nbsp;mortgage &amp; rates&#33;</p><!-- tracking --></body></html>").getBytes()) + "\n"
                + "--b1\n"
                + "Content-Type: application/octet-stream; name=\"setup.exe\"\n"
                + "Content-Transfer-Encoding: base64\n"
                + "\n"
                + "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAA\n"
                + "--b1--\n";
        String text = EmailBody.text(message);
        assertEquals("Lowest mortgage & rates!", text.strip().replaceAll("\\s+", " "));
        assertFalse(text.contains("p {}"));
    }

    @Test
    void brokenEncodingsGiveWhatCanBeReadNotAnException() {
        String headers = "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n";
        assertEquals("Buy now", EmailBody.text(headers + "QnV5IG5v\ndw=="));
        // cut off mid-quad: the complete quads are read, the rest dropped
        assertEquals("Buy no", EmailBody.text(headers + "QnV5IG5vd"));
        assertTrue(EmailBody.text("Subject: headers only, no blank line, no body").isEmpty());
    }
}
