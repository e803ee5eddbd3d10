package dev.cloudops.text;

/**
 * Text from outside (a monitored site's answer, a person's name or comment, an agent's report) made fit to
 * show as plain text. Control characters (Unicode Cc) and invisible format characters (Cf: bidi overrides and
 * isolates, zero-width marks) can make shown text read differently from what it is, so they are taken out;
 * line breaks and tabs stay. Escaping for a channel's markup is that channel's job.
 */
public final class PlainText {

    private PlainText() {
    }

    /** The text without control and format characters other than line feed and tab; null stays null. */
    public static String shown(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder kept = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int width = Character.charCount(c);
            boolean drop = invisible(c) && c != '\n' && c != '\t';
            if (drop && kept == null) {
                kept = new StringBuilder(text.length()).append(text, 0, i);
            } else if (!drop && kept != null) {
                kept.appendCodePoint(c);
            }
            i += width;
        }
        return kept == null ? text : kept.toString();
    }

    /** Whether the text has any control or format character at all (line breaks and tabs included). */
    public static boolean hasInvisible(String text) {
        return text != null && text.codePoints().anyMatch(PlainText::invisible);
    }

    private static boolean invisible(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT;
    }
}
