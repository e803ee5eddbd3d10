package dev.cloudops.approval.page;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownRendererTest {

    private final MarkdownRenderer renderer = new MarkdownRenderer();

    @Test
    void render_keepsStructure_headingsTablesListsCode() {
        String html = renderer.render("## Root Cause\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n\n`code`").markup();

        assertThat(html).contains("<h2>Root Cause</h2>", "<table>", "<td>1</td>", "<li>one</li>", "<code>code</code>");
    }

    @Test
    void render_escapesRawHtml_andDropsDangerousUrls() {
        String html = renderer.render("""
                <script>alert(1)</script>

                <img src=x onerror=alert(2)> [a](javascript:alert(3)) [b](JaVaScRiPt:alert(4))
                [c](vbscript:msgbox) ![d](data:image/svg+xml;base64,PHN2Zz4=) [ok](https://example.com/x)
                """).markup();

        assertThat(html).doesNotContainPattern("(?i)<script").doesNotContainPattern("(?i)<img src=\"?x")
                .doesNotContainPattern("(?i)href=\"(javascript|vbscript|data):")
                .doesNotContainPattern("(?i)src=\"data:")
                .contains("&lt;script&gt;", "&lt;img src=x onerror=alert(2)&gt;")
                .containsPattern("<a (rel=\"nofollow noopener noreferrer\" )?href=\"https://example.com/x\"[^>]*>ok</a>")
                .contains("rel=\"nofollow noopener noreferrer\"");
    }

    @Test
    void html_escapesEverySpecialCharacter() {
        assertThat(Html.text("<a href=\"x\" onclick='y'>&`</a>").markup())
                .isEqualTo("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;");
    }
}
