package dev.streamtune.ingest.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PiiMaskerTest {

    private static final Set<PiiKind> ALL = EnumSet.allOf(PiiKind.class);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "write to jane.doe+news@mail.example.co.uk today | write to [EMAIL] today",
            "a@b.io, c_d@e-f.org                           | [EMAIL], [EMAIL]",
            "call +44 20 7946 0958 now                      | call [PHONE] now",
            "call (555) 123-4567                            | call [PHONE]",
            "+1 (555) 123-4567 or 555-123-4567              | [PHONE] or [PHONE]",
            "ring 0049 30 1234567                           | ring [PHONE]",
            "mobile 07700900123                             | mobile [PHONE]",
            "tel 555-1234                                   | tel [PHONE]",
            "card 4111 1111 1111 1111 expired               | card [CARD] expired",
            "card 4111-1111-1111-1111                       | card [CARD]",
            "card 5500000000000004                          | card [CARD]",
            "from 192.168.1.20 and 10.0.0.1.                | from [IP] and [IP].",
            "call 555 1234. 20 people came                  | call [PHONE]. 20 people came",
            "+44 20 7946 0958 10.0.0.1                      | [PHONE] [IP]",
    })
    void masksPersonalData(String text, String masked) {
        assertEquals(masked, PiiMasker.mask(text, ALL));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "on 2024-01-31 at 10:30",
            "on 31.01.2024 or 31-01-2024",
            "pi is 3.14159 and e is 2.71828",
            "population 1.234.567 in 2019",
            "version 1.2.3 of the app, 4G phone, abc123456789xyz",
            "an at sign @ alone, user@localhost",
            "ordered 12 items for 300 dollars",
            "4111 1111 1111 1112 fails the Luhn check",
            "999.168.1.20 is no address",
    })
    void keepsOrdinaryNumbersAndText(String text) {
        assertEquals(text, PiiMasker.mask(text, ALL));
    }

    @Test
    void masksOnlyTheRequestedKinds() {
        String text = "jane@example.com +44 20 7946 0958 10.0.0.1";
        assertEquals("[EMAIL] +44 20 7946 0958 10.0.0.1", PiiMasker.mask(text, EnumSet.of(PiiKind.EMAIL)));
        assertEquals("jane@example.com [PHONE] 10.0.0.1", PiiMasker.mask(text, EnumSet.of(PiiKind.PHONE)));
        assertSame(text, PiiMasker.mask(text, Set.of()));
    }

    @Test
    void textWithoutPersonalDataIsReturnedAsItIs() {
        String text = "Nothing to see here, 42 times.";
        assertSame(text, PiiMasker.mask(text, ALL));
    }

    @Test
    void adversarialInputStaysLinear() {
        String digits = "1-".repeat(50_000);
        String ats = "a".repeat(10_000) + "@" + "b.".repeat(20_000);
        String dots = "1.".repeat(50_000);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            PiiMasker.mask(digits, ALL);
            PiiMasker.mask(ats, ALL);
            PiiMasker.mask(dots, ALL);
        });
    }

    @Test
    void kindsParseFromConfigurationSpelling() {
        assertEquals(EnumSet.of(PiiKind.CARD_NUMBER, PiiKind.IP_ADDRESS),
                PiiKind.parseAll(java.util.List.of("card-number", " IP_address ")));
        assertEquals(Set.of(), PiiKind.parseAll(java.util.List.of("none")));
    }
}
