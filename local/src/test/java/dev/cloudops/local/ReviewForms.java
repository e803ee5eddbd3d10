package dev.cloudops.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading the review page's decision form and posting it back, as a browser would. */
final class ReviewForms {

    private ReviewForms() {
    }

    /** The value of the page's field {@code name} (the test fails when there is none). */
    static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("the page has a %s field", name).isTrue();
        return m.group(1).replace("&amp;", "&");
    }

    /** {@code v} form-encoded. */
    static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
