package flowers.train;

import com.google.gson.JsonParseException;
import flowers.json.Json;
import java.util.Map;

/**
 * What the chief tells each worker before the first step: the run's split and where the epoch
 * goes on. A worker takes these from the chief, never from its own flags: on resume the run's own
 * seed, fraction and split rule hold, and only the chief has the checkpoint that says so.
 *
 * @param files the split's file-list hash: a worker that sees other files stops instead of
 *     training on other images than the chief counts
 * @param batchSize images per worker and step; the global batch is {@code batchSize × workers}
 * @param sampling {@code --sampling}: it decides which images an epoch holds, so every worker must
 *     draw the same; null from a chief before it (uniform)
 * @param split the chief's split (relative path → "train" or "val"): path-hash-v2 and later keep the sides
 *     of the run's record, which only the chief has; null from a chief before it
 */
record ClusterPlan(long seed, double valFraction, String splitRule, String files, int imageSize, int batchSize,
    int workers, int epoch, int position, int epochs, String augment, String sampling, Map<String, String> split) {

  String toJson() {
    return Json.GSON.toJson(this);
  }

  static ClusterPlan fromJson(String json) {
    try {
      return Json.GSON.fromJson(json, ClusterPlan.class);
    } catch (JsonParseException e) {
      throw new IllegalStateException("the chief sent a plan this version cannot read: " + json, e);
    }
  }
}
