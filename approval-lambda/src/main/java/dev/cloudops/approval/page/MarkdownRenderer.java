package dev.cloudops.approval.page;

import java.util.List;
import dev.cloudops.text.PlainText;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Link;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.DefaultUrlSanitizer;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Renders analysis reports (markdown written by an agent, so untrusted) with CommonMark: raw HTML in the
 * source is escaped, link and image URLs other than http, https and mailto are dropped (the page's CSP
 * loads no image anyway), and links open
 * without a referrer. Scripts and event handlers can only come from raw HTML, which never passes through.
 */
public final class MarkdownRenderer {

    private final Parser parser;
    private final HtmlRenderer renderer;

    public MarkdownRenderer() {
        List<org.commonmark.Extension> extensions = List.of(TablesExtension.create());
        this.parser = Parser.builder().extensions(extensions).build();
        this.renderer = HtmlRenderer.builder()
                .extensions(extensions)
                .escapeHtml(true)
                .sanitizeUrls(true)
                .urlSanitizer(new DefaultUrlSanitizer(List.of("http", "https", "mailto")))
                .attributeProviderFactory(context -> (node, tag, attributes) -> {
                    if (node instanceof Link) {
                        attributes.put("rel", "nofollow noopener noreferrer");
                    }
                })
                .build();
    }

    public Html render(String markdown) {
        // The report quotes what sites answered: no control or bidi character reaches the page.
        return new Html(renderer.render(parser.parse(markdown == null ? "" : PlainText.shown(markdown))));
    }
}
