package dev.cloudops.notify.email;

import dev.cloudops.notify.Delivery;
import dev.cloudops.notify.Notification;
import dev.cloudops.notify.Notifier;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Sends notifications as HTML email (with the plain text beside it) through SES, from a verified
 * sender identity. Every value is escaped; links are the only markup that reaches the reader.
 */
public final class SesEmailNotifier implements Notifier {

    private final SesV2Client ses;
    private final String from;
    private final List<String> to;

    public SesEmailNotifier(SesV2Client ses, String from, List<String> to) {
        this.ses = ses;
        this.from = from;
        this.to = List.copyOf(to);
    }

    @Override
    public String channel() {
        return "email-ses";
    }

    @Override
    public Delivery send(Notification notification) {
        EmailMessage email = EmailMessage.from(notification);
        try {
            ses.sendEmail(b -> b.fromEmailAddress(from)
                    .destination(d -> d.toAddresses(to))
                    .content(c -> c.simple(m -> m
                            .subject(s -> s.data(email.subject()).charset("UTF-8"))
                            .body(body -> body
                                    .text(t -> t.data(email.body()).charset("UTF-8"))
                                    .html(h -> h.data(html(email)).charset("UTF-8"))))));
            return new Delivery.Delivered(channel(), 1);
        } catch (SdkException e) {
            return new Delivery.Failed(channel(), 1, "SES SendEmail failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The plain text as HTML: escaped, line breaks kept, and only the message's own links made clickable
     * (a URL in someone's comment stays text).
     */
    static String html(EmailMessage email) {
        StringBuilder out = new StringBuilder("<html><body><pre style=\"font-family:sans-serif;white-space:pre-wrap\">");
        for (String line : email.body().split("\n", -1)) {
            String escaped = escape(line);
            for (String link : email.links()) {
                String target = escape(link);
                if (escaped.endsWith(": " + target)) {
                    escaped = escaped.substring(0, escaped.length() - target.length())
                            + "<a href=\"" + target + "\">" + target + "</a>";
                    break;
                }
            }
            out.append(escaped).append('\n');
        }
        return out.append("</pre></body></html>").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
