package dev.cloudops.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the pipeline needs out of a markdown report: the executive summary and the plan block. */
public final class ReportReader {

    /** The required sections, in order. */
    public static final List<String> SECTIONS = List.of("Executive Summary", "Detailed Investigation", "Root Cause",
            "Critical Findings", "Immediate Actions", "Prevention");

    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\s*\\n(.*?)\\n\\s*```", Pattern.DOTALL);
    private static final int SUMMARY_WORDS = 200;

    private ReportReader() {
    }

    /** The text of a {@code ## Name} section, up to the next heading; empty when absent. */
    public static String section(String markdown, String name) {
        Matcher m = Pattern.compile("(?m)^#{1,3}\\s*" + Pattern.quote(name) + "\\s*$").matcher(markdown);
        if (!m.find()) {
            return "";
        }
        int start = m.end();
        Matcher next = Pattern.compile("(?m)^#{1,3}\\s").matcher(markdown);
        int end = next.find(start) ? next.start() : markdown.length();
        return markdown.substring(start, end).strip();
    }

    /** The first 200 words of the executive summary (the alert's {@code agent_analysis}). */
    public static String executiveSummary(String markdown) {
        String text = section(markdown, "Executive Summary").replaceAll("\\s+", " ").strip();
        String[] words = text.split(" ");
        return words.length <= SUMMARY_WORDS ? text : String.join(" ", List.of(words).subList(0, SUMMARY_WORDS)) + " …";
    }

    /** The fenced JSON blocks of the report, in order (a valid report has exactly one). */
    public static List<String> jsonBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = JSON_BLOCK.matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** The sections a report lacks. */
    public static List<String> missingSections(String markdown) {
        return SECTIONS.stream().filter(s -> section(markdown, s).isEmpty()).toList();
    }
}
