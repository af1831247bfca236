package flowers.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Groups of pictures that are the same photo: identical bytes, or dHashes within a bound. A group
 * is a connected component (a ~ b and b ~ c put a, b and c together), so no two near duplicates
 * ever end up in different groups, which is what lets a split keep each group on one side.
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

  /**
   * Finds the groups among {@code images}. Files that do not decode, and flat pictures (see
   * {@link PerceptualHash#MIN_EDGES}), take part only through their bytes.
   */
  public static Duplicates find(List<LabeledImage> images, Map<Path, Fingerprint> fingerprints, int maxDistance) {
    int n = images.size();
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    Map<String, Integer> bySha = new HashMap<>();
    List<Integer> hashed = new ArrayList<>(); // the ones with a meaningful dHash
    for (int i = 0; i < n; i++) {
      Fingerprint f = fingerprints.get(images.get(i).path());
      if (f == null) {
        continue;
      }
      if (f.sha256() != null) {
        Integer first = bySha.putIfAbsent(f.sha256(), i);
        if (first != null) {
          union(parent, first, i);
        }
      }
      if (f.decodes() && f.edges() >= PerceptualHash.MIN_EDGES) {
        hashed.add(i);
      }
    }
    long[] hashes = new long[hashed.size()];
    for (int k = 0; k < hashes.length; k++) {
      hashes[k] = fingerprints.get(images.get(hashed.get(k)).path()).dHash();
    }
    for (int[] pair : nearPairs(hashes, maxDistance)) {
      union(parent, hashed.get(pair[0]), hashed.get(pair[1]));
    }
    Map<Integer, List<LabeledImage>> components = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      components.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(images.get(i));
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
