package flowers.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Groups of pictures that are the same photo: identical bytes, or near duplicates (dHashes within
 * a bound, confirmed by their {@link Thumbnail}s). A near group is a clique: every two of its
 * members are near duplicates (or identical) of each other. A chain a ~ b ~ c whose ends are not
 * alike is not one group: among 28 px Fashion-MNIST photos, groups joined link by link chained
 * about 900 different garments of 8 classes into one. So two near duplicates can end up in
 * different groups (b with a, c alone), and a split that keeps groups together may put such a
 * pair on two sides; {@link #straddling} does not see that pair.
 */
public record Duplicates(List<Group> groups) {

  /**
   * @param members two or more images, in the order they were given
   * @param exact whether every member has the same bytes
   */
  public record Group(List<LabeledImage> members, boolean exact) {
    public boolean acrossClasses() {
      return members.stream().map(LabeledImage::label).distinct().count() > 1;
    }

    /** Whether the group has members in both of {@code train} and {@code val}. */
    boolean straddles(Set<Path> train, Set<Path> val) {
      return members.stream().anyMatch(m -> train.contains(m.path()))
          && members.stream().anyMatch(m -> val.contains(m.path()));
    }
  }

  /** Whether two decoded, not flat pictures are near duplicates: the dHash proposes, the thumbnails confirm. */
  public static boolean near(Fingerprint a, Fingerprint b) {
    return PerceptualHash.near(a.dHash(), b.dHash()) && a.thumb() != null && b.thumb() != null
        && Thumbnail.difference(Thumbnail.decode(a.thumb()), Thumbnail.decode(b.thumb())) <= Thumbnail.MAX_DIFFERENCE;
  }

  /**
   * Finds the groups among {@code images}: files with identical bytes form one unit, and units
   * join by complete linkage, the closest confirmed pairs first, only while every member stays a
   * near duplicate of every other. Files that do not decode, and flat pictures (see
   * {@link PerceptualHash#MIN_EDGES}), take part only through their bytes.
   */
  public static Duplicates find(List<LabeledImage> images, Map<Path, Fingerprint> fingerprints) {
    int n = images.size();
    int[] unit = exactUnits(images, fingerprints);
    List<Integer> hashed = hashed(images, fingerprints, unit);
    long[] hashes = hashes(images, fingerprints, hashed);
    float[][] thumbs = new float[hashed.size()][];
    for (int k = 0; k < thumbs.length; k++) {
      String t = fingerprints.get(images.get(hashed.get(k)).path()).thumb();
      thumbs[k] = t == null ? null : Thumbnail.decode(t);
    }
    // Confirmed pairs of units, closest first (then by position: the grouping is deterministic).
    List<double[]> links = new ArrayList<>();
    Set<Long> near = new HashSet<>();
    for (int[] pair : nearPairs(hashes, PerceptualHash.MAX_DISTANCE)) {
      float[] a = thumbs[pair[0]];
      float[] b = thumbs[pair[1]];
      double d = a == null || b == null ? Double.MAX_VALUE : Thumbnail.difference(a, b);
      if (d <= Thumbnail.MAX_DIFFERENCE) {
        int i = unit[hashed.get(pair[0])];
        int j = unit[hashed.get(pair[1])];
        links.add(new double[] {d, Math.min(i, j), Math.max(i, j)});
        near.add(key(i, j));
      }
    }
    links.sort(Comparator.<double[]>comparingDouble(l -> l[0]).thenComparingDouble(l -> l[1]).thenComparingDouble(l -> l[2]));
    // cluster[u]: the units of u's group so far, shared by all of them.
    Map<Integer, List<Integer>> cluster = new HashMap<>();
    for (double[] l : links) {
      List<Integer> a = cluster.computeIfAbsent((int) l[1], u -> new ArrayList<>(List.of(u)));
      List<Integer> b = cluster.computeIfAbsent((int) l[2], u -> new ArrayList<>(List.of(u)));
      if (a == b || !allNear(a, b, near)) {
        continue;
      }
      a.addAll(b);
      b.forEach(u -> cluster.put(u, a));
    }
    int[] root = unit.clone();
    cluster.values().forEach(c -> c.forEach(u -> root[u] = Collections.min(c)));
    for (int i = 0; i < n; i++) {
      root[i] = root[unit[i]];
    }
    return grouped(images, fingerprints, root);
  }

  private static boolean allNear(List<Integer> a, List<Integer> b, Set<Long> near) {
    for (int i : a) {
      for (int j : b) {
        if (!near.contains(key(i, j))) {
          return false;
        }
      }
    }
    return true;
  }

  private static long key(int i, int j) {
    return (long) Math.min(i, j) << 32 | Math.max(i, j);
  }

  /**
   * The groups {@link SplitRule#PATH_HASH_V1} and {@link SplitRule#PATH_HASH_V2} keep together, as
   * they were defined when those rules were: identical bytes, or dHashes within {@code maxDistance}
   * bits, joined link by link (connected components), with no thumbnail confirmation. Kept so
   * that a run with one of those rules gets the split it always had; not what {@code inspect}
   * reports.
   */
  public static Duplicates components(List<LabeledImage> images, Map<Path, Fingerprint> fingerprints, int maxDistance) {
    int[] parent = exactUnits(images, fingerprints);
    List<Integer> hashed = hashed(images, fingerprints, null);
    for (int[] pair : nearPairs(hashes(images, fingerprints, hashed), maxDistance)) {
      union(parent, hashed.get(pair[0]), hashed.get(pair[1]));
    }
    int[] root = new int[parent.length];
    for (int i = 0; i < root.length; i++) {
      root[i] = find(parent, i);
    }
    return grouped(images, fingerprints, root);
  }

  /** Each image's unit: the first image with the same bytes (itself if none). */
  private static int[] exactUnits(List<LabeledImage> images, Map<Path, Fingerprint> fingerprints) {
    int[] unit = new int[images.size()];
    Map<String, Integer> bySha = new HashMap<>();
    for (int i = 0; i < unit.length; i++) {
      Fingerprint f = fingerprints.get(images.get(i).path());
      Integer first = f == null || f.sha256() == null ? null : bySha.putIfAbsent(f.sha256(), i);
      unit[i] = first == null ? i : first;
    }
    return unit;
  }

  /** The images with a meaningful dHash; with {@code unit}, one per set of identical files. */
  private static List<Integer> hashed(List<LabeledImage> images, Map<Path, Fingerprint> fingerprints, int[] unit) {
    List<Integer> hashed = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      Fingerprint f = fingerprints.get(images.get(i).path());
      if (f != null && f.decodes() && f.edges() >= PerceptualHash.MIN_EDGES && (unit == null || unit[i] == i)) {
        hashed.add(i);
      }
    }
    return hashed;
  }

  private static long[] hashes(List<LabeledImage> images, Map<Path, Fingerprint> fingerprints, List<Integer> hashed) {
    long[] hashes = new long[hashed.size()];
    for (int k = 0; k < hashes.length; k++) {
      hashes[k] = fingerprints.get(images.get(hashed.get(k)).path()).dHash();
    }
    return hashes;
  }

  /** The groups of two or more images with the same {@code root}, in the order of their first member. */
  private static Duplicates grouped(List<LabeledImage> images, Map<Path, Fingerprint> fingerprints, int[] root) {
    Map<Integer, List<LabeledImage>> components = new LinkedHashMap<>();
    for (int i = 0; i < images.size(); i++) {
      components.computeIfAbsent(root[i], k -> new ArrayList<>()).add(images.get(i));
    }
    List<Group> groups = new ArrayList<>();
    for (List<LabeledImage> members : components.values()) {
      if (members.size() > 1) {
        Set<String> shas = new TreeSet<>();
        members.forEach(m -> shas.add(String.valueOf(fingerprints.get(m.path()).sha256())));
        groups.add(new Group(List.copyOf(members), shas.size() == 1));
      }
    }
    return new Duplicates(List.copyOf(groups));
  }

  public List<Group> acrossClasses() {
    return groups.stream().filter(Group::acrossClasses).toList();
  }

  /** The groups with members in training and in validation: a leak that flatters validation. */
  public List<Group> straddling(Split split) {
    Set<Path> train = new java.util.HashSet<>();
    Set<Path> val = new java.util.HashSet<>();
    split.train().forEach(i -> train.add(i.path()));
    split.val().forEach(i -> val.add(i.path()));
    return groups.stream().filter(g -> g.straddles(train, val)).toList();
  }

  /** The group of each member. */
  public Map<Path, Group> byPath() {
    Map<Path, Group> m = new HashMap<>();
    groups.forEach(g -> g.members().forEach(i -> m.put(i.path(), g)));
    return m;
  }

  /**
   * Every pair within {@code maxDistance} bits. Two hashes that differ in at most d bits agree on at
   * least one of any d+1 disjoint slices of the 64 bits (pigeonhole), so only hashes sharing a slice
   * are compared: about 1/256 of all pairs at d = 7, instead of n²/2.
   */
  static List<int[]> nearPairs(long[] hashes, int maxDistance) {
    List<int[]> pairs = new ArrayList<>();
    int slices = maxDistance + 1;
    if (slices > 16) { // slices of 4 bits or less would share values too often to help
      for (int i = 0; i < hashes.length; i++) {
        for (int j = i + 1; j < hashes.length; j++) {
          if (PerceptualHash.distance(hashes[i], hashes[j]) <= maxDistance) {
            pairs.add(new int[] {i, j});
          }
        }
      }
      return pairs;
    }
    Set<Long> seen = new java.util.HashSet<>();
    for (int s = 0; s < slices; s++) {
      int from = 64 * s / slices;
      int to = 64 * (s + 1) / slices;
      long mask = (to - from == 64 ? -1L : (1L << (to - from)) - 1) << from;
      Map<Long, List<Integer>> buckets = new HashMap<>();
      for (int i = 0; i < hashes.length; i++) {
        buckets.computeIfAbsent(hashes[i] & mask, k -> new ArrayList<>()).add(i);
      }
      for (List<Integer> bucket : buckets.values()) {
        for (int a = 0; a < bucket.size(); a++) {
          for (int b = a + 1; b < bucket.size(); b++) {
            int i = bucket.get(a);
            int j = bucket.get(b);
            if (PerceptualHash.distance(hashes[i], hashes[j]) <= maxDistance && seen.add((long) i << 32 | j)) {
              pairs.add(new int[] {i, j});
            }
          }
        }
      }
    }
    return pairs;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
}
