package dev.streamtune.ingest.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class TextNormaliserTest {

    @Test
    void cleanAsciiTextIsReturnedAsItIs() {
        String text = "Loved the staff, 10/10!";
        assertSame(text, TextNormaliser.normalise(text));
    }

    @Test
    void whitespaceRunsBecomeOneSpaceAndEndsAreTrimmed() {
        assertEquals("a b c d", TextNormaliser.normalise("  a \t\tb\r\n c\u2028\u00A0d  "));
    }

    @Test
    void compatibilityFormsAreFolded() {
        assertEquals("Hello fi 2", TextNormaliser.normalise("\uFF28\uFF45\uFF4C\uFF4C\uFF4F \uFB01 \u00B2"));
        assertEquals("café", TextNormaliser.normalise("cafe\u0301"), "combining accent composed");
    }

    @Test
    void controlAndInvisibleCharactersAreRemoved() {
        assertEquals("ab c", TextNormaliser.normalise("\uFEFFa\u200Bb\u0007 \u200Ec\u0000"));
        assertEquals("x y", TextNormaliser.normalise("x\u0085y"), "NEL is a line break");
    }

    @Test
    void emojiSequencesAndScriptsKeepTheirJoiners() {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
        assertEquals("family " + family, TextNormaliser.normalise("family  " + family));
        assertEquals("می\u200Cخواهم", TextNormaliser.normalise("می\u200Cخواهم"));
    }

    @Test
    void loneSurrogatesAreDropped() {
        assertEquals("ab", TextNormaliser.normalise("a\uD800b"));
    }
}
