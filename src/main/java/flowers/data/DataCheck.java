package flowers.data;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything worth knowing about a dataset folder before training on it: class sizes, the files
 * that cannot be used and why, image sizes, exact and near duplicates (within a class, across
 * classes, across the split), and the split itself. Each image is read and decoded once, at a
 * reduced scale where JPEG allows; with a cache file, only new or changed files are.
 *
 * @param scanned the folder as scanned
 * @param folder the folder as training sees it: under the path-hash rules without the
 *     files that do not decode (they join {@code skipped}); under the old rule as scanned, since
 *     its split contained them
 * @param fingerprints of every scanned image
 * @param duplicates the groups of {@link Duplicates#find}
 * @param split the split of the rule asked for
 */
public record DataCheck(ImageFolder scanned, ImageFolder folder, Map<Path, Fingerprint> fingerprints,
    Duplicates duplicates, Split split, Duration elapsed) {

  /** The name of the fingerprint cache a run keeps in its checkpoint folder. */
  public static final String CACHE_FILE = "data-fingerprints.json";

  public static DataCheck run(ImageFolder scanned, SplitRule rule, double valFraction, long seed, int threads, Path cache) {
    return run(scanned, rule, valFraction, seed, threads, cache, Map.of());
  }

  /**
   * @param previous the run's last split (relative path → "train" or "val"), which
   *     the path-hash-v2 and v3 rules keep; empty for a new run
   */
  public static DataCheck run(ImageFolder scanned, SplitRule rule, double valFraction, long seed, int threads, Path cache,
      Map<String, String> previous) {
    long t0 = System.nanoTime();
    List<Path> files = scanned.images().stream().map(LabeledImage::path).toList();
    Map<Path, Fingerprint> fingerprints = Fingerprints.of(files, threads, cache);
    List<LabeledImage> usable = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>(scanned.skipped());
    for (LabeledImage img : scanned.images()) {
      Fingerprint f = fingerprints.get(img.path());
      if (f.decodes()) {
        usable.add(img);
      } else {
        skipped.add(new Skipped(img.path(), f.error()));
      }
    }
    Duplicates duplicates = Duplicates.find(scanned.images(), fingerprints);
    // An older rule keeps the groups it was defined with, so an old run gets its old split; what
    // the check reports (and calls a leak) is always today's groups.
    Duplicates forSplit = rule.groups(scanned.images(), fingerprints, duplicates);
    Split split = Split.of(rule, scanned, usable, forSplit, valFraction, seed, previous);
    ImageFolder folder = rule == SplitRule.SHUFFLE_V1 ? scanned
        : new ImageFolder(scanned.root(), scanned.classNames(), List.copyOf(usable), List.copyOf(skipped));
    return new DataCheck(scanned, folder, fingerprints, duplicates, split, Duration.ofNanos(System.nanoTime() - t0));
  }

  /** Every file training leaves out, with the reason: the scan's and the ones that do not decode. */
  public List<Skipped> unreadable() {
    List<Skipped> all = new ArrayList<>(scanned.skipped());
    for (LabeledImage img : scanned.images()) {
      Fingerprint f = fingerprints.get(img.path());
      if (!f.decodes()) {
        all.add(new Skipped(img.path(), f.error()));
      }
    }
    return all;
  }

  public List<Duplicates.Group> acrossClasses() {
    return duplicates.acrossClasses();
  }

  public List<Duplicates.Group> leaks() {
    return duplicates.straddling(split);
  }

  /** Images per class in training and validation, in class order. */
  public Map<String, DataReport.ClassCounts> classCounts() {
    int c = scanned.classNames().size();
    int[] train = new int[c];
    int[] val = new int[c];
    split.train().forEach(i -> train[i.label()]++);
    split.val().forEach(i -> val[i.label()]++);
    Map<String, DataReport.ClassCounts> out = new LinkedHashMap<>();
    for (int k = 0; k < c; k++) {
      out.put(scanned.classNames().get(k), new DataReport.ClassCounts(train[k], val[k]));
    }
    return out;
  }

  /** Largest class over smallest (in images of the split); infinite when a class has none left. */
  public double imbalanceRatio() {
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (DataReport.ClassCounts cc : classCounts().values()) {
      min = Math.min(min, cc.train() + cc.val());
      max = Math.max(max, cc.train() + cc.val());
    }
    return min == 0 ? Double.POSITIVE_INFINITY : max / (double) min;
  }

  public DataReport.ImageSizes imageSizes() {
    List<Fingerprint> ok = fingerprints.values().stream().filter(Fingerprint::decodes).toList();
    if (ok.isEmpty()) {
      return null;
    }
    int[] w = ok.stream().mapToInt(Fingerprint::width).sorted().toArray();
    int[] h = ok.stream().mapToInt(Fingerprint::height).sorted().toArray();
    double[] a = ok.stream().mapToDouble(f -> Math.round(1000.0 * f.width() / f.height()) / 1000.0).sorted().toArray();
    int mid = (ok.size() - 1) / 2;
    return new DataReport.ImageSizes(new DataReport.Pixels(w[0], w[mid], w[w.length - 1]),
        new DataReport.Pixels(h[0], h[mid], h[h.length - 1]), new DataReport.Ratio(a[0], a[mid], a[a.length - 1]));
  }

  public String relative(Path p) {
    return Split.relative(scanned.root(), p);
  }

  public DataReport report() {
    Function<List<Duplicates.Group>, List<List<String>>> paths =
        groups -> groups.stream().map(g -> g.members().stream().map(m -> relative(m.path())).toList()).toList();
    Map<String, String> sides = new LinkedHashMap<>();
    List<LabeledImage> all = new ArrayList<>(split.train());
    all.addAll(split.val());
    all.sort((x, y) -> x.path().compareTo(y.path()));
    java.util.Set<Path> val = new java.util.HashSet<>();
    split.val().forEach(i -> val.add(i.path()));
    all.forEach(i -> sides.put(relative(i.path()), val.contains(i.path()) ? "val" : "train"));
    return new DataReport(scanned.root().toString(), split.rule().id, split.seed(), split.valFraction(),
        scanned.images().size(), classCounts(), imbalanceRatio(),
        unreadable().stream().map(s -> new DataReport.Unreadable(relative(s.path()), s.reason())).toList(),
        imageSizes(), PerceptualHash.MAX_DISTANCE, Thumbnail.MAX_DIFFERENCE, paths.apply(duplicates.groups()),
        paths.apply(exactGroups()), paths.apply(acrossClasses()), paths.apply(leaks()), sides);
  }

  /** Files with identical bytes, grouped (a near-duplicate group may hold several such sets). */
  public List<Duplicates.Group> exactGroups() {
    Map<String, List<LabeledImage>> bySha = new LinkedHashMap<>();
    for (LabeledImage img : scanned.images()) {
      String sha = fingerprints.get(img.path()).sha256();
      if (sha != null) {
        bySha.computeIfAbsent(sha, k -> new ArrayList<>()).add(img);
      }
    }
    return bySha.values().stream().filter(g -> g.size() > 1).map(g -> new Duplicates.Group(List.copyOf(g), true)).toList();
  }

  /** The check in one paragraph, as {@code train} prints it before it starts. */
  public String summary() {
    int train = split.train().size();
    int val = split.val().size();
    DataReport.ImageSizes sizes = imageSizes();
    long exact = duplicates.groups().stream().filter(Duplicates.Group::exact).count();
    return String.format("data check: %d classes, %d train / %d validation images (split %s), imbalance %s; %d unreadable; %s;"
            + " %s (%d exact, %d near: dHash within %d of 64 bits and 16x16 thumbnails within %.0f grey levels), %d across classes, %d across train/validation"
            + " (%d images checked in %.1fs)",
        scanned.classNames().size(), train, val, split.rule().id, ratio(imbalanceRatio()), unreadable().size(),
        sizes == null ? "no image decodes" : "sizes " + range(sizes.width()) + " x " + range(sizes.height())
            + " px, aspect " + range(sizes.aspectRatio()),
        count(duplicates.groups().size(), "duplicate group"), exact, duplicates.groups().size() - exact,
        PerceptualHash.MAX_DISTANCE, Thumbnail.MAX_DIFFERENCE, acrossClasses().size(), leaks().size(), scanned.images().size(),
        elapsed.toMillis() / 1000.0);
  }

  /**
   * Warnings for training: files left out that the loader will not meet (it would say so itself
   * otherwise), the same photo under two labels, and a photo on both sides of the split.
   */
  public List<String> warnings() {
    List<String> out = new ArrayList<>();
    java.util.Set<Path> inSplit = new java.util.HashSet<>();
    split.train().forEach(i -> inSplit.add(i.path()));
    split.val().forEach(i -> inSplit.add(i.path()));
    for (LabeledImage img : scanned.images()) {
      Fingerprint f = fingerprints.get(img.path());
      if (!f.decodes() && !inSplit.contains(img.path())) {
        out.add("skipping " + img.path() + ": " + f.error());
      }
    }
    List<Duplicates.Group> cross = acrossClasses();
    if (!cross.isEmpty()) {
      out.add(count(cross.size(), "duplicate group") + " across classes, the same photo under two labels ("
          + examples(cross) + "): fix the labels; `inspect " + scanned.root() + "` lists them all");
    }
    List<Duplicates.Group> leaks = leaks();
    if (!leaks.isEmpty()) {
      out.add(count(leaks.size(), "duplicate group") + " across train and validation ("
          + examples(leaks) + "): validation accuracy will be too high; the " + SplitRule.CURRENT.id
          + " split of a new run (--no-resume, or another --checkpoint-dir) keeps each group on one side");
    }
    return out;
  }

  private String examples(List<Duplicates.Group> groups) {
    List<String> shown = new ArrayList<>();
    for (Duplicates.Group g : groups.subList(0, Math.min(3, groups.size()))) {
      shown.add(String.join(" ~ ", g.members().stream().map(m -> relative(m.path())).toList()));
    }
    return String.join("; ", shown) + (groups.size() > 3 ? "; …" : "");
  }

  /** The text {@code inspect} prints. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add(String.format("%s: %d classes, %d images, split %s (seed %d, validation %.0f%%), checked in %.1fs",
        scanned.root(), scanned.classNames().size(), scanned.images().size(), split.rule().id, split.seed(),
        100 * split.valFraction(), elapsed.toMillis() / 1000.0));
    out.add("");
    int width = Math.max(5, scanned.classNames().stream().mapToInt(String::length).max().orElse(5));
    out.add(String.format("%-" + width + "s  %6s  %6s", "class", "train", "val"));
    classCounts().forEach((name, c) -> out.add(String.format("%-" + width + "s  %6d  %6d", name, c.train(), c.val())));
    out.add(String.format("%-" + width + "s  %6d  %6d", "total", split.train().size(), split.val().size()));
    out.add("imbalance ratio " + ratio(imbalanceRatio()) + " (largest class / smallest)");
    out.add("");
    List<Skipped> bad = unreadable();
    out.add("unreadable: " + (bad.isEmpty() ? "none" : bad.size()));
    bad.forEach(s -> out.add("  " + relative(s.path()) + ": " + s.reason()));
    DataReport.ImageSizes sizes = imageSizes();
    out.add(sizes == null ? "image sizes: no image decodes" : String.format(
        "image sizes (min / median / max): width %d / %d / %d, height %d / %d / %d, aspect %.2f / %.2f / %.2f",
        sizes.width().min(), sizes.width().median(), sizes.width().max(), sizes.height().min(), sizes.height().median(),
        sizes.height().max(), sizes.aspectRatio().min(), sizes.aspectRatio().median(), sizes.aspectRatio().max()));
    out.add("");
    out.add("duplicates (identical bytes, or dHash within " + PerceptualHash.MAX_DISTANCE + " of 64 bits and 16x16 thumbnails"
        + String.format(" within %.0f grey levels; every two members alike): ", Thumbnail.MAX_DIFFERENCE)
        + (duplicates.groups().isEmpty() ? "none" : count(duplicates.groups().size(), "group")));
    duplicates.groups().forEach(g -> out.add("  " + describe(g)));
    List<Duplicates.Group> cross = acrossClasses();
    out.add("across classes (one photo, two labels): " + (cross.isEmpty() ? "none" : count(cross.size(), "group")));
    cross.forEach(g -> out.add("  " + describe(g)));
    List<Duplicates.Group> leaks = leaks();
    out.add("across train/validation (leaks): " + (leaks.isEmpty()
        ? "none" + (split.rule() == SplitRule.SHUFFLE_V1 ? "" : " (the " + split.rule().id + " split keeps each group on one side)")
        : count(leaks.size(), "group")));
    leaks.forEach(g -> out.add("  " + describe(g)));
    return out;
  }

  /**
   * "near:  a/x.jpg (val, 3) ~ b/y.jpg (train, 3)": each member's side and, for near groups, the
   * distance in bits to its closest other member (identical bytes: 0).
   */
  private String describe(Duplicates.Group g) {
    java.util.Set<Path> train = new java.util.HashSet<>();
    java.util.Set<Path> val = new java.util.HashSet<>();
    split.train().forEach(i -> train.add(i.path()));
    split.val().forEach(i -> val.add(i.path()));
    List<String> parts = new ArrayList<>();
    for (LabeledImage m : g.members()) {
      Fingerprint f = fingerprints.get(m.path());
      String side = val.contains(m.path()) ? "val" : train.contains(m.path()) ? "train" : "not in the split";
      int closest = Integer.MAX_VALUE;
      for (LabeledImage o : g.members()) {
        Fingerprint of = fingerprints.get(o.path());
        if (o != m && f.decodes() && of.decodes()) {
          closest = Math.min(closest, f.sha256().equals(of.sha256()) ? 0 : PerceptualHash.distance(f.dHash(), of.dHash()));
        }
      }
      parts.add(relative(m.path()) + " (" + side + (g.exact() || closest == Integer.MAX_VALUE ? "" : ", " + closest) + ")");
    }
    return (g.exact() ? "exact: " : "near:  ") + String.join(" ~ ", parts);
  }

  private static String count(int n, String thing) {
    return n + " " + thing + (n == 1 ? "" : "s");
  }

  private static String ratio(double r) {
    return Double.isInfinite(r) ? "infinite (a class has no usable image)" : String.format("%.2f", r);
  }

  private static String range(DataReport.Pixels p) {
    return p.min() == p.max() ? String.valueOf(p.min()) : p.min() + "–" + p.max();
  }

  private static String range(DataReport.Ratio r) {
    return r.min() == r.max() ? String.format("%.2f", r.min()) : String.format("%.2f–%.2f", r.min(), r.max());
  }
}
