package io.jpgpool.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws bench/client_sweep.sh's figures: TPS and p99 latency against the number of clients, one line per target
 * and workload, as a PNG.
 *
 * <pre>java -cp benchmarks.jar:lib/* io.jpgpool.bench.SweepPlot sweep.tsv out.png</pre>
 *
 * <p>The TSV has a header and the columns {@code clients target mode tps p99_ms}.
 */
public final class SweepPlot {
    private SweepPlot() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: SweepPlot sweep.tsv out.png");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        Map<String, XYSeries> tps = new LinkedHashMap<>();
        Map<String, XYSeries> p99 = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) {
                continue;
            }
            String name = f[1] + " " + f[2];
            double clients = Double.parseDouble(f[0]);
            tps.computeIfAbsent(name, XYSeries::new).add(clients, Double.parseDouble(f[3]));
            if (!f[4].equals("-")) {
                p99.computeIfAbsent(name, XYSeries::new).add(clients, Double.parseDouble(f[4]));
            }
        }
        LogAxis clients = new LogAxis("clients (pgbench -c)");
        clients.setBase(2);
        clients.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        clients.setNumberFormatOverride(new java.text.DecimalFormat("0"));
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(clients);
        plot.add(panel(tps, "transactions per second", true), 1);
        plot.add(panel(p99, "p99 latency (ms)", false), 1);
        JFreeChart chart = new JFreeChart("jpgpool and PgBouncer by number of clients", JFreeChart.DEFAULT_TITLE_FONT,
                plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(new File(args[1]), chart, 900, 700);
    }

    private static XYPlot panel(Map<String, XYSeries> series, String label, boolean inLegend) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        int i = 0;
        for (String name : series.keySet()) {
            // one colour per target, a dashed line for TPC-B
            renderer.setSeriesPaint(i, name.startsWith("jpgpool") ? new Color(0x1f77b4) : new Color(0xd62728));
            renderer.setSeriesStroke(i, name.endsWith("tpcb")
                    ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(2f));
            renderer.setSeriesVisibleInLegend(i, inLegend);
            i++;
        }
        XYPlot plot = new XYPlot(data, null, new NumberAxis(label), renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }
}
