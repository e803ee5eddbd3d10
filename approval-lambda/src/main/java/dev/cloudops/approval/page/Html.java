package dev.cloudops.approval.page;

import dev.cloudops.text.PlainText;

/**
 * A fragment of markup that is safe to insert: either text escaped here, or markup built only from other
 * safe fragments. Templates accept nothing else, so no caller can slip raw text into a page.
 */
public record Html(String markup) {

    public static final Html EMPTY = new Html("");

    /**
     * Text shown as text: every character that means something in HTML (and in attributes) is escaped, and
     * control and invisible format characters (bidi overrides among them) are left out ({@link PlainText}).
     */
    public static Html text(String raw) {
        if (raw == null) {
            return EMPTY;
        }
        String text = PlainText.shown(raw);
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                case '`' -> b.append("&#96;");
                default -> b.append(c);
            }
        }
        return new Html(b.toString());
    }

    /** An element with escaped text content and no attributes; {@code tag} is a constant of ours. */
    public static Html element(String tag, String text) {
        return new Html("<" + tag + ">" + text(text).markup + "</" + tag + ">");
    }

    /** An element wrapping safe fragments; {@code tag} is a constant of ours. */
    public static Html element(String tag, Html... children) {
        StringBuilder b = new StringBuilder("<").append(tag).append('>');
        for (Html c : children) {
            b.append(c.markup);
        }
        return new Html(b.append("</").append(tag).append('>').toString());
    }

    public static Html concat(Iterable<Html> parts) {
        StringBuilder b = new StringBuilder();
        parts.forEach(p -> b.append(p.markup));
        return new Html(b.toString());
    }

    @Override
    public String toString() {
        return markup;
    }
}
