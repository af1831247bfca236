package flowers.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.QuadCurve2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Draws one synthetic photo: a cluttered background, one or more flower heads of a species on
 * stems with leaves, then uneven lighting and sensor noise. Every random choice comes from the
 * given {@code Random}, so the same seed draws the same picture.
 */
final class FlowerPainter {
  private final Random rnd;
  private final int size;
  private final Graphics2D g;

  private FlowerPainter(BufferedImage img, Random rnd) {
    this.rnd = rnd;
    this.size = img.getWidth();
    this.g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
  }

  static BufferedImage paint(FlowerSpecies species, int size, Random rnd) {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    FlowerPainter p = new FlowerPainter(img, rnd);
    p.background();
    int heads = 1 + rnd.nextInt(species.heads());
    Color petal = jitter(species.palettes().get(rnd.nextInt(species.palettes().size())), 25, rnd);
    for (int h = 0; h < heads; h++) {
      double r = size * (0.16 + rnd.nextDouble() * 0.16) / Math.sqrt(heads);
      double x = size * (0.25 + rnd.nextDouble() * 0.5);
      double y = size * (0.22 + rnd.nextDouble() * 0.45);
      p.stem(x, y, r);
      p.head(species, x, y, r, petal);
    }
    p.g.dispose();
    lighting(img, rnd);
    return img;
  }

  // ---- background and plant

  private void background() {
    Color top = pick(new Color(120, 170, 220), new Color(70, 120, 60), new Color(150, 140, 110), new Color(40, 70, 40));
    Color bottom = pick(new Color(60, 110, 50), new Color(110, 80, 50), new Color(30, 60, 30), new Color(140, 150, 90));
    g.setPaint(new GradientPaint(0, 0, jitter(top, 30), 0, size, jitter(bottom, 30)));
    g.fillRect(0, 0, size, size);
    int blobs = 6 + rnd.nextInt(14);
    for (int i = 0; i < blobs; i++) {
      // Some blobs take flower colours, so a class cannot be read off the mean colour.
      Color c = rnd.nextInt(3) == 0
          ? FlowerSpecies.ALL.get(rnd.nextInt(FlowerSpecies.ALL.size())).palettes().get(0)
          : new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256));
      g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 40 + rnd.nextInt(90)));
      double w = size * (0.05 + rnd.nextDouble() * 0.3);
      double h = size * (0.05 + rnd.nextDouble() * 0.3);
      g.fill(new Ellipse2D.Double(rnd.nextDouble() * size - w / 2, rnd.nextDouble() * size - h / 2, w, h));
    }
    int blades = 10 + rnd.nextInt(40);
    for (int i = 0; i < blades; i++) {
      g.setColor(jitter(new Color(50, 120, 40), 35));
      g.setStroke(new BasicStroke((float) (size * (0.004 + rnd.nextDouble() * 0.01))));
      double x = rnd.nextDouble() * size;
      double len = size * (0.1 + rnd.nextDouble() * 0.35);
      g.draw(new QuadCurve2D.Double(x, size, x + (rnd.nextDouble() - 0.5) * len, size - len / 2,
          x + (rnd.nextDouble() - 0.5) * len, size - len));
    }
  }

  private void stem(double x, double y, double r) {
    Color green = jitter(new Color(60, 130, 50), 25);
    g.setColor(green);
    g.setStroke(new BasicStroke((float) Math.max(1, r * 0.12), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    double bend = (rnd.nextDouble() - 0.5) * size * 0.3;
    g.draw(new QuadCurve2D.Double(x, y, x + bend, (y + size) / 2, x + bend * 0.5, size + 2));
    int leaves = rnd.nextInt(3);
    for (int i = 0; i < leaves; i++) {
      double t = 0.3 + rnd.nextDouble() * 0.5;
      double lx = x + bend * t;
      double ly = y + (size - y) * t;
      AffineTransform saved = g.getTransform();
      g.translate(lx, ly);
      g.rotate((rnd.nextBoolean() ? -1 : 1) * (0.5 + rnd.nextDouble() * 0.8));
      g.setColor(jitter(green, 20));
      g.fill(new Ellipse2D.Double(0, -r * 0.15, r * (0.8 + rnd.nextDouble() * 0.6), r * 0.3));
      g.setTransform(saved);
    }
  }

  // ---- heads

  private void head(FlowerSpecies s, double x, double y, double r, Color petal) {
    AffineTransform saved = g.getTransform();
    g.translate(x, y);
    g.rotate(rnd.nextDouble() * 2 * Math.PI);
    switch (s.form()) {
      case RADIAL -> radial(s, r, petal, false);
      case NOTCHED -> radial(s, r, petal, true);
      case POINTED -> pointed(s, r, petal);
      case RUFFLED -> ruffled(s, r, petal);
      case SPIRAL -> spiral(s, r, petal);
      case CUP -> { g.setTransform(saved); g.translate(x, y); g.rotate((rnd.nextDouble() - 0.5) * 0.6); cup(r, petal); }
      case TRUMPET -> trumpet(s, r, petal);
      case IRIS -> { g.setTransform(saved); g.translate(x, y); g.rotate((rnd.nextDouble() - 0.5) * 0.5); iris(r, petal); }
      case BELLS -> { g.setTransform(saved); g.translate(x, y); bells(s, r, petal); }
      case SPIKE -> { g.setTransform(saved); g.translate(x, y); g.rotate((rnd.nextDouble() - 0.5) * 0.4); spike(s, r, petal); }
      case PUFF -> puff(s, r, petal);
      case ORCHID -> orchid(r, petal);
    }
    g.setTransform(saved);
  }

  private void radial(FlowerSpecies s, double r, Color petal, boolean notched) {
    for (int layer = s.layers() - 1; layer >= 0; layer--) {
      double len = r * s.petalLength() * (1 - 0.18 * layer);
      double w = len * s.petalWidth();
      Color c = shade(petal, 1 - 0.12 * layer);
      double offset = layer * Math.PI / s.petals();
      for (int i = 0; i < s.petals(); i++) {
        double a = offset + 2 * Math.PI * i / s.petals() + (rnd.nextDouble() - 0.5) * 0.08;
        AffineTransform saved = g.getTransform();
        g.rotate(a);
        g.setColor(jitter(c, 10));
        if (notched) {
          // Two overlapping halves leave a notch at the tip.
          g.fill(new Ellipse2D.Double(r * 0.05, -w / 2, len, w * 0.62));
          g.fill(new Ellipse2D.Double(r * 0.05, -w * 0.12, len, w * 0.62));
        } else {
          g.fill(new Ellipse2D.Double(r * 0.05, -w / 2, len, w));
        }
        g.setColor(shade(c, 0.8));
        g.setStroke(new BasicStroke((float) Math.max(0.5, r * 0.015)));
        g.draw(new java.awt.geom.Line2D.Double(r * 0.1, 0, len * 0.8, 0));
        g.setTransform(saved);
      }
    }
    centre(s, r);
  }

  private void centre(FlowerSpecies s, double r) {
    if (s.centre() <= 0) {
      return;
    }
    double c = r * s.centre();
    g.setColor(jitter(s.centreColour(), 15));
    g.fill(new Ellipse2D.Double(-c, -c, 2 * c, 2 * c));
    g.setColor(shade(s.centreColour(), 0.6));
    int dots = (int) (c * c / Math.max(1, r * r * 0.004));
    for (int i = 0; i < Math.min(dots, 120); i++) {
      double a = rnd.nextDouble() * 2 * Math.PI;
      double d = Math.sqrt(rnd.nextDouble()) * c * 0.9;
      double dot = Math.max(1, r * 0.03);
      g.fill(new Ellipse2D.Double(Math.cos(a) * d - dot / 2, Math.sin(a) * d - dot / 2, dot, dot));
    }
  }

  private Path2D pointedPetal(double len, double w) {
    Path2D p = new Path2D.Double();
    p.moveTo(0, 0);
    p.quadTo(len * 0.45, w, len, 0);
    p.quadTo(len * 0.45, -w, 0, 0);
    return p;
  }

  private void pointed(FlowerSpecies s, double r, Color petal) {
    for (int layer = s.layers() - 1; layer >= 0; layer--) {
      double len = r * s.petalLength() * (1 - 0.25 * layer);
      double w = len * s.petalWidth();
      for (int i = 0; i < s.petals(); i++) {
        AffineTransform saved = g.getTransform();
        g.rotate(layer * Math.PI / s.petals() + 2 * Math.PI * i / s.petals());
        g.setColor(jitter(shade(petal, 1 - 0.1 * layer), 8));
        g.fill(pointedPetal(len, w));
        g.setColor(shade(petal, 0.7));
        g.setStroke(new BasicStroke((float) Math.max(0.6, r * 0.02)));
        g.draw(new java.awt.geom.Line2D.Double(r * 0.05, 0, len * 0.75, 0));
        g.setTransform(saved);
      }
    }
    centre(s, r);
    g.setColor(s.centreColour());
    for (int i = 0; i < 6; i++) {
      double a = 2 * Math.PI * i / 6 + 0.3;
      double d = r * 0.35;
      g.fill(new Ellipse2D.Double(Math.cos(a) * d - r * 0.04, Math.sin(a) * d - r * 0.04, r * 0.08, r * 0.08));
    }
  }

  private void ruffled(FlowerSpecies s, double r, Color petal) {
    for (int layer = 0; layer < s.layers(); layer++) {
      double ring = r * (1 - layer / (double) s.layers()) * 0.85;
      int n = Math.max(5, (int) (s.petals() * (1 - 0.15 * layer)));
      Color c = shade(petal, 1 - 0.1 * layer);
      for (int i = 0; i < n; i++) {
        double a = 2 * Math.PI * i / n + layer * 0.4 + rnd.nextDouble() * 0.2;
        double pr = r * s.petalLength() * 0.5 * (1 - 0.1 * layer);
        double cx = Math.cos(a) * (ring - pr * 0.6);
        double cy = Math.sin(a) * (ring - pr * 0.6);
        g.setColor(jitter(c, 12));
        g.fill(zigzagDisc(cx, cy, pr, 9));
        g.setColor(shade(c, 0.75));
        g.setStroke(new BasicStroke((float) Math.max(0.5, r * 0.012)));
        g.draw(zigzagDisc(cx, cy, pr, 9));
      }
    }
    centre(s, r);
  }

  /** A disc with a serrated rim: the frilled petal edge of carnations and marigolds. */
  private static Path2D zigzagDisc(double cx, double cy, double radius, int teeth) {
    Path2D p = new Path2D.Double();
    for (int i = 0; i <= teeth * 2; i++) {
      double a = Math.PI * i / teeth;
      double d = i % 2 == 0 ? radius : radius * 0.8;
      double px = cx + Math.cos(a) * d;
      double py = cy + Math.sin(a) * d;
      if (i == 0) {
        p.moveTo(px, py);
      } else {
        p.lineTo(px, py);
      }
    }
    p.closePath();
    return p;
  }

  private void spiral(FlowerSpecies s, double r, Color petal) {
    for (int i = 0; i < 5; i++) {
      AffineTransform saved = g.getTransform();
      g.rotate(2 * Math.PI * i / 5);
      g.setColor(jitter(shade(petal, 0.95), 10));
      g.fill(new Ellipse2D.Double(r * 0.1, -r * 0.45, r * 0.9, r * 0.9));
      g.setTransform(saved);
    }
    g.setColor(petal);
    g.fill(new Ellipse2D.Double(-r * 0.7, -r * 0.7, r * 1.4, r * 1.4));
    g.setStroke(new BasicStroke((float) Math.max(0.8, r * 0.05), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    for (int k = 0; k < 9; k++) {
      double rad = r * 0.65 * (1 - k / 10.0);
      g.setColor(shade(petal, 0.65 + 0.02 * k));
      g.draw(new java.awt.geom.Arc2D.Double(-rad, -rad, 2 * rad, 2 * rad, k * 67, 200, java.awt.geom.Arc2D.OPEN));
    }
  }

  private void cup(double r, Color petal) {
    double w = r * 0.9;
    double h = r * 1.2;
    Path2D p = new Path2D.Double();
    p.moveTo(-w, -h * 0.5);
    p.lineTo(-w * 0.5, -h * 0.2);
    p.lineTo(0, -h * 0.6);
    p.lineTo(w * 0.5, -h * 0.2);
    p.lineTo(w, -h * 0.5);
    p.curveTo(w * 1.05, h * 0.3, w * 0.5, h * 0.55, 0, h * 0.55);
    p.curveTo(-w * 0.5, h * 0.55, -w * 1.05, h * 0.3, -w, -h * 0.5);
    p.closePath();
    g.setColor(jitter(petal, 10));
    g.fill(p);
    g.setColor(shade(petal, 0.7));
    g.setStroke(new BasicStroke((float) Math.max(0.8, r * 0.04)));
    g.draw(new QuadCurve2D.Double(0, -h * 0.6, -w * 0.4, h * 0.1, 0, h * 0.5));
    g.draw(new QuadCurve2D.Double(0, -h * 0.6, w * 0.4, h * 0.1, 0, h * 0.5));
  }

  private void trumpet(FlowerSpecies s, double r, Color petal) {
    for (int i = 0; i < s.petals(); i++) {
      AffineTransform saved = g.getTransform();
      g.rotate(2 * Math.PI * i / s.petals());
      g.setColor(jitter(petal, 8));
      g.fill(pointedPetal(r * s.petalLength(), r * s.petalLength() * s.petalWidth()));
      g.setTransform(saved);
    }
    double t = r * s.centre();
    g.setColor(jitter(s.centreColour(), 12));
    g.fill(zigzagDisc(0, 0, t, 12));
    g.setColor(shade(s.centreColour(), 0.7));
    g.fill(new Ellipse2D.Double(-t * 0.55, -t * 0.55, t * 1.1, t * 1.1));
  }

  private void iris(double r, Color petal) {
    for (int i = 0; i < 3; i++) {
      AffineTransform saved = g.getTransform();
      g.rotate(-Math.PI / 2 + (i - 1) * 0.55);
      g.setColor(jitter(shade(petal, 1.1), 10));
      g.fill(new Ellipse2D.Double(0, -r * 0.22, r * 0.85, r * 0.44));
      g.setTransform(saved);
    }
    for (int i = 0; i < 3; i++) {
      AffineTransform saved = g.getTransform();
      g.rotate(Math.PI / 2 + (i - 1) * 0.9);
      g.setColor(jitter(shade(petal, 0.8), 10));
      g.fill(new Ellipse2D.Double(0, -r * 0.3, r * 1.05, r * 0.6));
      g.setColor(FlowerSpecies.YELLOW);
      g.fill(new Ellipse2D.Double(r * 0.1, -r * 0.05, r * 0.45, r * 0.1));
      g.setTransform(saved);
    }
  }

  private void bells(FlowerSpecies s, double r, Color petal) {
    double span = r * 3;
    double dir = rnd.nextBoolean() ? 1 : -1;
    g.setColor(new Color(60, 120, 50));
    g.setStroke(new BasicStroke((float) Math.max(1, r * 0.07)));
    g.draw(new QuadCurve2D.Double(0, r, dir * span * 0.4, -r * 0.8, dir * span * 0.8, 0));
    for (int i = 0; i < s.petals(); i++) {
      double t = (i + 1) / (double) (s.petals() + 1);
      double bx = 2 * (1 - t) * t * dir * span * 0.4 + t * t * dir * span * 0.8;
      double by = (1 - t) * (1 - t) * r + 2 * (1 - t) * t * -r * 0.8;
      double bw = r * s.petalLength();
      Path2D bell = new Path2D.Double();
      bell.moveTo(bx - bw * 0.3, by + bw * 0.2);
      bell.quadTo(bx, by - bw * 0.2, bx + bw * 0.3, by + bw * 0.2);
      bell.lineTo(bx + bw * 0.5, by + bw * 1.1);
      for (int k = 0; k < 4; k++) {
        double x0 = bx + bw * 0.5 - (k + 1) * bw / 4;
        bell.quadTo(x0 + bw / 8, by + bw * 0.95, x0, by + bw * 1.1);
      }
      bell.closePath();
      g.setColor(jitter(petal, 12));
      g.fill(bell);
    }
  }

  private void spike(FlowerSpecies s, double r, Color petal) {
    double h = r * 2.4;
    g.setColor(new Color(70, 120, 60));
    g.setStroke(new BasicStroke((float) Math.max(1, r * 0.06)));
    g.draw(new java.awt.geom.Line2D.Double(0, h * 0.6, 0, -h * 0.5));
    for (int i = 0; i < s.petals() * 2; i++) {
      double t = i / (double) (s.petals() * 2);
      double y = -h * 0.5 + t * h * 0.75;
      double x = (i % 2 == 0 ? -1 : 1) * r * (0.08 + 0.1 * rnd.nextDouble());
      double f = r * 0.16 * (0.6 + t * 0.6);
      g.setColor(jitter(shade(petal, 0.8 + 0.3 * rnd.nextDouble()), 10));
      g.fill(new Ellipse2D.Double(x - f / 2, y - f * 0.7, f, f * 1.4));
    }
  }

  private void puff(FlowerSpecies s, double r, Color petal) {
    for (int layer = 0; layer < s.layers(); layer++) {
      double len = r * (1 - 0.25 * layer);
      g.setStroke(new BasicStroke((float) Math.max(0.7, r * 0.035)));
      for (int i = 0; i < s.petals(); i++) {
        double a = rnd.nextDouble() * 2 * Math.PI;
        double l = len * (0.75 + 0.25 * rnd.nextDouble());
        g.setColor(jitter(shade(petal, 1 - 0.12 * layer), 15));
        g.draw(new java.awt.geom.Line2D.Double(0, 0, Math.cos(a) * l, Math.sin(a) * l));
      }
    }
  }

  private void orchid(double r, Color petal) {
    for (int i = 0; i < 3; i++) {
      AffineTransform saved = g.getTransform();
      g.rotate(-Math.PI / 2 + i * 2 * Math.PI / 3);
      g.setColor(jitter(shade(petal, 1.05), 8));
      g.fill(new Ellipse2D.Double(0, -r * 0.15, r * 0.95, r * 0.3));
      g.setTransform(saved);
    }
    for (int side = -1; side <= 1; side += 2) {
      AffineTransform saved = g.getTransform();
      g.rotate(side * 0.35 - Math.PI / 2 + (side < 0 ? -Math.PI / 2 : Math.PI / 2) * 0.9);
      g.setColor(jitter(petal, 8));
      g.fill(new Ellipse2D.Double(0, -r * 0.3, r * 0.8, r * 0.6));
      g.setTransform(saved);
    }
    g.setColor(shade(petal, 0.55));
    g.fill(new Ellipse2D.Double(-r * 0.3, r * 0.05, r * 0.6, r * 0.7));
    g.setColor(FlowerSpecies.YELLOW);
    g.fill(new Ellipse2D.Double(-r * 0.1, -r * 0.05, r * 0.2, r * 0.25));
  }

  // ---- light and colour

  /** Uneven light, a colour cast and sensor noise, like a phone photo outdoors. */
  private static void lighting(BufferedImage img, Random rnd) {
    int s = img.getWidth();
    double gain = 0.75 + rnd.nextDouble() * 0.5;
    double gx = (rnd.nextDouble() - 0.5) * 0.6 / s;
    double gy = (rnd.nextDouble() - 0.5) * 0.6 / s;
    double[] cast = {1 + (rnd.nextDouble() - 0.5) * 0.15, 1 + (rnd.nextDouble() - 0.5) * 0.15, 1 + (rnd.nextDouble() - 0.5) * 0.15};
    double noise = 3 + rnd.nextDouble() * 9;
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        int rgb = img.getRGB(x, y);
        double light = gain * (1 + gx * (x - s / 2.0) + gy * (y - s / 2.0));
        int r = clamp(((rgb >> 16) & 0xff) * light * cast[0] + rnd.nextGaussian() * noise);
        int gr = clamp(((rgb >> 8) & 0xff) * light * cast[1] + rnd.nextGaussian() * noise);
        int b = clamp((rgb & 0xff) * light * cast[2] + rnd.nextGaussian() * noise);
        img.setRGB(x, y, (r << 16) | (gr << 8) | b);
      }
    }
  }

  private Color pick(Color... options) {
    return options[rnd.nextInt(options.length)];
  }

  private Color jitter(Color c, int amount) {
    return jitter(c, amount, rnd);
  }

  private static Color jitter(Color c, int amount, Random rnd) {
    return new Color(clamp(c.getRed() + rnd.nextInt(2 * amount + 1) - amount),
        clamp(c.getGreen() + rnd.nextInt(2 * amount + 1) - amount),
        clamp(c.getBlue() + rnd.nextInt(2 * amount + 1) - amount));
  }

  private static Color shade(Color c, double f) {
    return new Color(clamp(c.getRed() * f), clamp(c.getGreen() * f), clamp(c.getBlue() * f));
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }
}
