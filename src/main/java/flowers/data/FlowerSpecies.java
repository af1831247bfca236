package flowers.data;

import java.awt.Color;
import java.util.List;

/**
 * What tells one synthetic flower class from another: the shape of its head and petals. Colours
 * are deliberately shared between species (roses, tulips, carnations and peonies all come in pink
 * and red), so that colour alone cannot name the class.
 *
 * @param form how the head is drawn
 * @param petals number of petals (or florets, or bells) per head
 * @param petalLength petal length relative to the head radius
 * @param petalWidth petal width relative to its length
 * @param layers rings of petals, drawn outside in
 * @param centre centre disc radius relative to the head radius (0 = none)
 * @param palettes petal colours an image picks from
 * @param centreColour colour of the centre disc
 * @param heads how many heads an image may show (1 … heads)
 */
record FlowerSpecies(String name, Form form, int petals, double petalLength, double petalWidth, int layers,
    double centre, List<Color> palettes, Color centreColour, int heads) {

  enum Form {
    /** Petals radiating from a disc, seen from above: daisy, sunflower, cosmos. */
    RADIAL,
    /** Petals with a notch at the tip: cherry blossom, cosmos. */
    NOTCHED,
    /** Pointed, striped petals: lily, lotus. */
    POINTED,
    /** Many layers of short round petals, a ball: peony, marigold, carnation. */
    RUFFLED,
    /** Concentric arcs spiralling in: rose. */
    SPIRAL,
    /** A cup seen from the side: tulip. */
    CUP,
    /** Petals plus a trumpet in the middle: daffodil. */
    TRUMPET,
    /** Three standards up and three falls down: iris. */
    IRIS,
    /** Small bells hanging from an arching stem: bluebell. */
    BELLS,
    /** A spike of tiny florets: lavender. */
    SPIKE,
    /** A fluffy ball of thin rays: dandelion. */
    PUFF,
    /** Five petals and a big lip: orchid. */
    ORCHID
  }

  static final Color RED = new Color(205, 30, 45);
  static final Color PINK = new Color(240, 130, 175);
  static final Color WHITE = new Color(245, 243, 235);
  static final Color YELLOW = new Color(250, 215, 40);
  static final Color ORANGE = new Color(245, 135, 30);
  static final Color PURPLE = new Color(140, 70, 190);
  static final Color BLUE = new Color(80, 100, 215);
  static final Color BROWN = new Color(95, 60, 25);
  static final Color DARK = new Color(30, 20, 25);

  /** The 20 species, sorted by name (their class indices). */
  static final List<FlowerSpecies> ALL = List.of(
      new FlowerSpecies("bluebell", Form.BELLS, 6, 0.32, 0.8, 1, 0, List.of(BLUE, PURPLE), WHITE, 2),
      new FlowerSpecies("carnation", Form.RUFFLED, 26, 0.55, 0.55, 3, 0, List.of(PINK, RED, WHITE), PINK, 1),
      new FlowerSpecies("cherry_blossom", Form.NOTCHED, 5, 0.55, 0.85, 1, 0.18, List.of(PINK, WHITE), PINK.darker(), 4),
      new FlowerSpecies("chrysanthemum", Form.RADIAL, 34, 0.95, 0.16, 3, 0.12, List.of(YELLOW, WHITE, PURPLE, ORANGE), YELLOW, 1),
      new FlowerSpecies("cosmos", Form.NOTCHED, 8, 0.9, 0.55, 1, 0.2, List.of(PINK, WHITE, PURPLE), YELLOW, 2),
      new FlowerSpecies("daffodil", Form.TRUMPET, 6, 0.9, 0.5, 1, 0.38, List.of(YELLOW, WHITE), ORANGE, 1),
      new FlowerSpecies("daisy", Form.RADIAL, 18, 0.85, 0.2, 1, 0.26, List.of(WHITE), YELLOW, 3),
      new FlowerSpecies("dandelion", Form.PUFF, 70, 0.9, 0.06, 3, 0, List.of(YELLOW), YELLOW, 2),
      new FlowerSpecies("hibiscus", Form.RADIAL, 5, 0.95, 0.95, 1, 0.12, List.of(RED, PINK, ORANGE, YELLOW), RED.darker().darker(), 1),
      new FlowerSpecies("iris", Form.IRIS, 6, 0.9, 0.45, 1, 0, List.of(PURPLE, BLUE), YELLOW, 1),
      new FlowerSpecies("lavender", Form.SPIKE, 16, 0.12, 1, 1, 0, List.of(PURPLE), PURPLE, 3),
      new FlowerSpecies("lily", Form.POINTED, 6, 1.0, 0.32, 1, 0.08, List.of(WHITE, PINK, ORANGE), BROWN, 1),
      new FlowerSpecies("lotus", Form.POINTED, 10, 0.9, 0.4, 2, 0.15, List.of(PINK, WHITE), YELLOW, 1),
      new FlowerSpecies("marigold", Form.RUFFLED, 22, 0.45, 0.7, 4, 0.1, List.of(ORANGE, YELLOW), ORANGE.darker(), 2),
      new FlowerSpecies("orchid", Form.ORCHID, 5, 0.8, 0.55, 1, 0.1, List.of(PURPLE, PINK, WHITE), YELLOW, 2),
      new FlowerSpecies("peony", Form.RUFFLED, 16, 0.7, 0.9, 5, 0, List.of(PINK, WHITE, RED), YELLOW, 1),
      new FlowerSpecies("poppy", Form.RADIAL, 4, 0.95, 1.1, 1, 0.2, List.of(RED, ORANGE), DARK, 2),
      new FlowerSpecies("rose", Form.SPIRAL, 7, 0.9, 0.6, 4, 0, List.of(RED, PINK, WHITE, YELLOW), RED, 1),
      new FlowerSpecies("sunflower", Form.RADIAL, 24, 0.6, 0.28, 2, 0.48, List.of(YELLOW), BROWN, 1),
      new FlowerSpecies("tulip", Form.CUP, 3, 1.0, 0.6, 1, 0, List.of(RED, PINK, YELLOW, WHITE, PURPLE), DARK, 2));
}
