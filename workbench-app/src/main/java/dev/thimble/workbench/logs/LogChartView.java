package dev.thimble.workbench.logs;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;

/**
 * A small chart of the last five minutes: requests per second as bars, mean latency as a line, with
 * the peaks named above it. Colours read on both themes (GitHub's accent blue and attention orange).
 */
final class LogChartView {
    private static final Color RATE = Color.web("#388bfd");
    private static final Color LATENCY = Color.web("#d29922");

    private final Canvas canvas = new Canvas(300, 54);
    private final Label rateLabel = new Label();
    private final Label latencyLabel = new Label();
    private final VBox root;

    LogChartView(LogsViewModel model) {
        rateLabel.setId("log-chart-rate");
        rateLabel.getStyleClass().add("chart-rate");
        latencyLabel.getStyleClass().add("chart-latency");
        Label span = new Label("last 5 min");
        span.getStyleClass().add("pane-summary");
        HBox legend = new HBox(12, rateLabel, latencyLabel, span);
        Pane holder = new Pane(canvas);
        holder.setMinHeight(54);
        holder.setPrefHeight(54);
        canvas.widthProperty().bind(holder.widthProperty());
        canvas.widthProperty().addListener((obs, old, now) -> draw(model.seriesProperty().get()));
        root = new VBox(2, legend, holder);
        root.setPadding(new Insets(4, 6, 4, 6));
        root.getStyleClass().add("log-chart");
        root.setId("log-chart");
        model.seriesProperty().addListener((obs, old, now) -> draw(now));
        draw(model.seriesProperty().get());
    }

    private void draw(LogRates.Series s) {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, w, h);
        double[] rate = s.rate();
        double[] latency = s.latency();
        double maxRate = Math.max(1, s.maxRate());
        double maxLatency = Math.max(1, s.maxLatency());
        rateLabel.setText(String.format("\u25A0 requests/s (peak %.0f)", s.maxRate()));
        latencyLabel.setText(String.format("\u2014 latency ms (peak %.0f)", s.maxLatency()));
        double step = w / rate.length;
        g.setFill(RATE);
        for (int i = 0; i < rate.length; i++) {
            if (rate[i] > 0) {
                double bar = Math.max(1, rate[i] / maxRate * (h - 2));
                g.fillRect(i * step, h - bar, Math.max(1, step - 0.5), bar);
            }
        }
        g.setStroke(LATENCY);
        g.setLineWidth(1.5);
        g.beginPath();
        boolean drawing = false;
        for (int i = 0; i < latency.length; i++) {
            if (rate[i] == 0) {
                drawing = false;
                continue;
            }
            double x = i * step + step / 2;
            double y = h - 1 - latency[i] / maxLatency * (h - 4);
            if (drawing) {
                g.lineTo(x, y);
            } else {
                g.moveTo(x, y);
                drawing = true;
            }
        }
        g.stroke();
        g.setStroke(Color.gray(0.5, 0.5));
        g.setLineWidth(1);
        g.strokeLine(0, h - 0.5, w, h - 0.5);
    }

    Node node() {
        return root;
    }
}
