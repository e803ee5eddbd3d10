package dev.cloudops.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlainTextTest {

    @Test
    void shown_dropsControlAndFormatCharacters_butKeepsLineBreaksTabsAndOtherScripts() {
        String text = "a\u202Eb\u202C\u2066c\u2069\u200Ed\u200F\u200Be\uFEFF\u0000f\u0007\r\n\tg 日本 \uD83D\uDE00";

        assertThat(PlainText.shown(text)).isEqualTo("abcdef\n\tg 日本 \uD83D\uDE00");
        assertThat(PlainText.shown("plain")).isSameAs("plain");
        assertThat(PlainText.shown(null)).isNull();
    }

    @Test
    void hasInvisible_findsAnyControlOrFormatCharacter_lineBreaksIncluded() {
        assertThat(PlainText.hasInvisible("Lee\u202Enimda")).isTrue();
        assertThat(PlainText.hasInvisible("Lee\n")).isTrue();
        assertThat(PlainText.hasInvisible("Lee Ops (on call) 日本")).isFalse();
        assertThat(PlainText.hasInvisible(null)).isFalse();
    }
}
