package dev.loomcache.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgBarChartTest {

  @Test
  void toSvg_twoSeries_drawsOneBarPerValueScaledLinearly() throws Exception {
    String svg =
        SvgBarChart.titled("Throughput <vs> Caffeine & co")
            .subtitle("higher is better")
            .series("1 thread", "2 threads")
            .category("Loomcache get", 0.5, 1.0)
            .category("Caffeine get", 1.0, null)
            .reference(1.0, "Caffeine")
            .toSvg();
    Document doc = parse(svg);
    List<Element> bars = barsOf(doc);
    assertThat(bars).hasSize(3); // the null value draws no bar
    double half = Double.parseDouble(bars.get(0).getAttribute("width"));
    double full = Double.parseDouble(bars.get(1).getAttribute("width"));
    assertThat(half / full).isCloseTo(0.5, within(0.01));
    assertThat(doc.getDocumentElement().getTextContent())
        .contains("Throughput <vs> Caffeine & co", "0.500×", "not measured", "Loomcache get");
  }

  @Test
  void toSvg_logScale_spacesDecadesEvenly() throws Exception {
    String svg =
        SvgBarChart.titled("p99")
            .series("p99")
            .category("a", 0.001)
            .category("b", 0.01)
            .category("c", 0.1)
            .category("d", 1.0)
            .logScale()
            .toSvg();
    List<Element> bars = barsOf(parse(svg));
    double[] widths =
        bars.stream().mapToDouble(b -> Double.parseDouble(b.getAttribute("width"))).toArray();
    assertThat(widths[2] - widths[1]).isCloseTo(widths[3] - widths[2], within(1.0));
    assertThat(svg).contains("logarithmic");
  }

  @Test
  void notes_afterCategory_followTheValueAndLongLabelsWidenTheChart() throws Exception {
    String label = "a category label long enough to need more than the usual room";
    String svg =
        SvgBarChart.titled("t")
            .series("x")
            .category(label, 0.00026)
            .notes("83.5 µs")
            .category("short", 1.0)
            .toSvg();
    Document doc = parse(svg);
    assertThat(doc.getDocumentElement().getTextContent()).contains("0.00026× (83.5 µs)", "1.00×");
    double width = Double.parseDouble(doc.getDocumentElement().getAttribute("width"));
    double barsStart = Double.parseDouble(barsOf(doc).get(0).getAttribute("x"));
    assertThat(barsStart).isGreaterThan(6.0 * label.length());
    assertThat(width).isGreaterThan(barsStart);
  }

  @Test
  void notes_beforeAnyCategoryOrWrongCount_throw() {
    assertThatThrownBy(() -> SvgBarChart.titled("t").notes("n"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> SvgBarChart.titled("t").series("x").category("c", 1.0).notes("a", "b"))
        .hasMessageContaining("1 notes expected");
  }

  @Test
  void category_wrongNumberOfValues_throws() {
    var chart = SvgBarChart.titled("t").series("x", "y");
    assertThatThrownBy(() -> chart.category("c", 1.0)).hasMessageContaining("2 values expected");
    assertThatThrownBy(() -> chart.category("c", 1.0, -1.0)).hasMessageContaining(">= 0");
  }

  private static Document parse(String svg) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  /** The bars: rects that carry a tooltip (the background and legend swatches have none). */
  private static List<Element> barsOf(Document doc) {
    NodeList rects = doc.getElementsByTagName("rect");
    var bars = new ArrayList<Element>();
    for (int i = 0; i < rects.getLength(); i++) {
      Element rect = (Element) rects.item(i);
      if (rect.getElementsByTagName("title").getLength() > 0) {
        bars.add(rect);
      }
    }
    return bars;
  }
}
