package dev.loomcache.benchmarks.report;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A horizontal bar chart as a standalone SVG document: one group of bars per category (a library),
 * one bar per series (e.g. 1 and 2 threads), each labelled with its value, and a dashed reference
 * line (e.g. at 1.0, the baseline's own ratio). Linear or logarithmic scale.
 *
 * <pre>{@code
 * String svg = SvgBarChart.titled("Hit path: throughput vs Caffeine")
 *     .subtitle("higher is better")
 *     .series("1 thread", "2 threads")
 *     .category("Loomcache get", 0.93, 0.95)
 *     .category("Caffeine get", 1.0, 1.0)
 *     .reference(1.0, "Caffeine")
 *     .toSvg();
 * }</pre>
 */
public final class SvgBarChart {
  private static final String[] COLOURS = {"#3b6ea8", "#e0913a", "#5a9e5a", "#a05a9e"};
  private static final int PLOT_WIDTH = 420;
  private static final int VALUE_WIDTH = 170;
  private static final double CHAR_WIDTH = 7; // a generous estimate for 12 px sans-serif
  private static final int BAR_HEIGHT = 16;
  private static final int BAR_GAP = 3;
  private static final int GROUP_GAP = 12;
  private static final int TOP = 70;

  private final String title;
  private String subtitle = "";
  private List<String> series = List.of("value");
  private final List<String> categories = new ArrayList<>();
  private final List<@Nullable Double[]> values = new ArrayList<>();
  private final List<@Nullable String[]> notes = new ArrayList<>();
  private @Nullable Double reference;
  private String referenceLabel = "";
  private boolean logScale;
  private String valueSuffix = "×";

  private SvgBarChart(String title) {
    this.title = title;
  }

  /** Starts a chart with {@code title}. */
  public static SvgBarChart titled(String title) {
    return new SvgBarChart(requireNonNull(title, "title must not be null"));
  }

  /** Sets the line under the title (say which way is better). */
  public SvgBarChart subtitle(String subtitle) {
    this.subtitle = requireNonNull(subtitle, "subtitle must not be null");
    return this;
  }

  /** Names the series: each category then gives one value per series. */
  public SvgBarChart series(String... names) {
    if (names.length < 1 || names.length > COLOURS.length) {
      throw new IllegalArgumentException(
          "between 1 and " + COLOURS.length + " series, but got " + names.length);
    }
    this.series = List.of(names);
    return this;
  }

  /**
   * Adds a category with one value per series; a null value (not measured) draws no bar.
   *
   * @throws IllegalArgumentException if the number of values differs from the number of series, or
   *     a value is negative or not finite
   */
  public SvgBarChart category(String label, @Nullable Double... seriesValues) {
    requireNonNull(label, "label must not be null");
    if (seriesValues.length != series.size()) {
      throw new IllegalArgumentException(
          label + ": " + series.size() + " values expected, but got " + seriesValues.length);
    }
    for (Double value : seriesValues) {
      if (value != null && (!Double.isFinite(value) || value < 0)) {
        throw new IllegalArgumentException(label + ": values must be finite and >= 0: " + value);
      }
    }
    categories.add(label);
    values.add(seriesValues.clone());
    notes.add(new String[seriesValues.length]);
    return this;
  }

  /**
   * Adds a note to each bar of the last category, printed after its value, e.g. the absolute figure
   * behind a ratio; a null note adds nothing.
   *
   * @throws IllegalStateException if no category was added yet
   * @throws IllegalArgumentException if the number of notes differs from the number of series
   */
  public SvgBarChart notes(@Nullable String... barNotes) {
    if (categories.isEmpty()) {
      throw new IllegalStateException("add a category before its notes");
    }
    if (barNotes.length != series.size()) {
      throw new IllegalArgumentException(
          series.size() + " notes expected, but got " + barNotes.length);
    }
    notes.set(notes.size() - 1, barNotes.clone());
    return this;
  }

  /** Draws a dashed vertical line at {@code value}, labelled {@code label}. */
  public SvgBarChart reference(double value, String label) {
    this.reference = value;
    this.referenceLabel = requireNonNull(label, "label must not be null");
    return this;
  }

  /** Uses a base-10 logarithmic scale (for values spanning several orders of magnitude). */
  public SvgBarChart logScale() {
    this.logScale = true;
    return this;
  }

  /** Sets what follows each value label; default "×" (a ratio). */
  public SvgBarChart valueSuffix(String suffix) {
    this.valueSuffix = requireNonNull(suffix, "suffix must not be null");
    return this;
  }

  /** Renders the chart as an SVG document. */
  public String toSvg() {
    double max = reference == null ? 0 : reference;
    double min = Double.MAX_VALUE;
    for (@Nullable Double[] row : values) {
      for (Double value : row) {
        if (value != null) {
          max = Math.max(max, value);
          if (value > 0) {
            min = Math.min(min, value);
          }
        }
      }
    }
    if (reference != null && reference > 0) {
      min = Math.min(min, reference);
    }
    Scale scale =
        logScale && min != Double.MAX_VALUE
            ? new Scale(
                true, Math.floor(Math.log10(min)), Math.ceil(Math.log10(Math.max(max, min * 10))))
            : new Scale(false, 0, max <= 0 ? 1 : max * 1.05);
    int longestLabel = categories.stream().mapToInt(String::length).max().orElse(0);
    int plotLeft = 20 + (int) Math.ceil(CHAR_WIDTH * longestLabel);
    int plotWidth = PLOT_WIDTH;
    int width =
        Math.max(
            plotLeft + plotWidth + VALUE_WIDTH,
            20 + (int) Math.ceil(CHAR_WIDTH * Math.max(title.length() * 1.3, subtitle.length())));
    int groupHeight = series.size() * (BAR_HEIGHT + BAR_GAP) - BAR_GAP;
    int plotHeight = categories.size() * (groupHeight + GROUP_GAP);
    int legendY = TOP + plotHeight + 30;
    int height = legendY + 30;

    var svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
    svg.append("  <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(svg, 10, 24, "start", "16", "bold", title);
    text(
        svg,
        10,
        44,
        "start",
        "12",
        "normal",
        subtitle + (scale.log() ? " (logarithmic scale)" : ""));
    int y = TOP;
    for (int c = 0; c < categories.size(); c++) {
      text(svg, plotLeft - 8, y + groupHeight / 2 + 4, "end", "12", "normal", categories.get(c));
      @Nullable Double[] row = values.get(c);
      for (int s = 0; s < series.size(); s++) {
        int barY = y + s * (BAR_HEIGHT + BAR_GAP);
        Double value = row[s];
        if (value == null) {
          text(svg, plotLeft + 4, barY + BAR_HEIGHT - 4, "start", "11", "normal", "not measured");
          continue;
        }
        double length = scale.position(value) * plotWidth;
        svg.append("  <rect x=\"")
            .append(plotLeft)
            .append("\" y=\"")
            .append(barY)
            .append("\" width=\"")
            .append(String.format(Locale.ROOT, "%.1f", Math.max(length, 1)))
            .append("\" height=\"")
            .append(BAR_HEIGHT)
            .append("\" fill=\"")
            .append(COLOURS[s])
            .append("\"><title>")
            .append(
                escape(
                    categories.get(c)
                        + ", "
                        + series.get(s)
                        + ": "
                        + label(value, notes.get(c)[s])))
            .append("</title></rect>\n");
        text(
            svg,
            plotLeft + (int) Math.max(length, 1) + 4,
            barY + BAR_HEIGHT - 4,
            "start",
            "11",
            "normal",
            label(value, notes.get(c)[s]));
      }
      y += groupHeight + GROUP_GAP;
    }
    svg.append("  <line x1=\"")
        .append(plotLeft)
        .append("\" y1=\"")
        .append(TOP - 6)
        .append("\" x2=\"")
        .append(plotLeft)
        .append("\" y2=\"")
        .append(TOP + plotHeight)
        .append("\" stroke=\"#444\"/>\n");
    if (reference != null) {
      int x = plotLeft + (int) Math.round(scale.position(reference) * plotWidth);
      svg.append("  <line x1=\"")
          .append(x)
          .append("\" y1=\"")
          .append(TOP - 6)
          .append("\" x2=\"")
          .append(x)
          .append("\" y2=\"")
          .append(TOP + plotHeight)
          .append("\" stroke=\"#c00\" stroke-dasharray=\"4 3\"/>\n");
      // the label goes left of the line when it would run off the right edge (about 6 px a letter)
      boolean fitsRight = x + 3 + CHAR_WIDTH * referenceLabel.length() <= width;
      text(
          svg,
          fitsRight ? x + 3 : x - 3,
          TOP - 10,
          fitsRight ? "start" : "end",
          "11",
          "normal",
          referenceLabel);
    }
    int legendX = 10;
    for (int s = 0; s < series.size(); s++) {
      svg.append("  <rect x=\"")
          .append(legendX)
          .append("\" y=\"")
          .append(legendY - 10)
          .append("\" width=\"12\" height=\"12\" fill=\"")
          .append(COLOURS[s])
          .append("\"/>\n");
      text(svg, legendX + 16, legendY, "start", "12", "normal", series.get(s));
      legendX += 24 + 8 * series.get(s).length();
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private String label(double value, @Nullable String note) {
    return Report.fmt(value) + valueSuffix + (note == null ? "" : " (" + note + ")");
  }

  private static void text(
      StringBuilder svg, int x, int y, String anchor, String size, String weight, String content) {
    svg.append("  <text x=\"")
        .append(x)
        .append("\" y=\"")
        .append(y)
        .append("\" text-anchor=\"")
        .append(anchor)
        .append("\" font-size=\"")
        .append(size)
        .append("\" font-weight=\"")
        .append(weight)
        .append("\">")
        .append(escape(content))
        .append("</text>\n");
  }

  /** Escapes text for XML content and attributes. */
  static String escape(String text) {
    var out = new StringBuilder(text.length());
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }

  /** Maps a value to a fraction of the plot width. */
  private record Scale(boolean log, double low, double high) {
    double position(double value) {
      if (!log) {
        return Math.min(value / high, 1);
      }
      if (value <= 0) {
        return 0;
      }
      double fraction = (Math.log10(value) - low) / (high - low);
      return Math.max(0.01, Math.min(fraction, 1));
    }
  }
}
