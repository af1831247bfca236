package flowers.cluster;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import flowers.tf.Messages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster and this process's place in it, from the {@code TF_CONFIG} environment variable:
 * the convention of TensorFlow, Keras' {@code MultiWorkerMirroredStrategy} and Kubeflow's TFJob,
 * so a TFJob runs every task unchanged.
 *
 * <pre>{"cluster":{"ps":["host:port"],"worker":["host:port",...]},"task":{"type":"worker","index":0}}</pre>
 *
 * <p>Worker 0 is the chief unless a {@code chief} job is given; the chief computes a tower too, as
 * in TensorFlow's in-graph replication, so every task of {@code chief} and {@code worker} trains.
 */
public record TfConfig(Map<String, List<String>> cluster, Task task) {

  public static final String ENV = "TF_CONFIG";
  public static final String PS = "ps";
  public static final String WORKER = "worker";
  public static final String CHIEF = "chief";

  /** One task of the cluster: {@code /job:<job>/task:<index>}. */
  public record Task(String job, int index) {
    public String device() {
      return "/job:" + job + "/replica:0/task:" + index;
    }

    @Override
    public String toString() {
      return job + " " + index;
    }
  }

  public TfConfig {
    cluster = Map.copyOf(cluster);
  }

  /** The cluster of {@code TF_CONFIG}, or null when it is unset or blank: single-process training. */
  public static TfConfig fromEnvironment() {
    String value = System.getenv(ENV);
    return value == null || value.isBlank() ? null : parse(value);
  }

  /** @throws IllegalArgumentException with one line that says what is wrong */
  public static TfConfig parse(String json) {
    JsonObject root;
    try {
      JsonElement e = JsonParser.parseString(json);
      if (!e.isJsonObject()) {
        throw bad("it is not a JSON object");
      }
      root = e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw bad("it is not valid JSON (" + Messages.firstLine(e) + ")");
    }
    if (!root.has("cluster") || !root.get("cluster").isJsonObject()) {
      throw bad("no \"cluster\" object");
    }
    Map<String, List<String>> cluster = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> job : root.getAsJsonObject("cluster").entrySet()) {
      String name = job.getKey();
      if (!List.of(PS, WORKER, CHIEF).contains(name)) {
        throw bad("job \"" + name + "\" is not supported (ps, worker and chief are)");
      }
      if (!job.getValue().isJsonArray() || job.getValue().getAsJsonArray().isEmpty()) {
        throw bad("job \"" + name + "\" must be a non-empty list of \"host:port\"");
      }
      List<String> addresses = new ArrayList<>();
      for (JsonElement a : (JsonArray) job.getValue()) {
        String address = a.isJsonPrimitive() ? a.getAsString() : "";
        if (!address.matches("[^\\s:/]+:\\d{1,5}") && !address.matches("\\[[0-9a-fA-F:]+\\]:\\d{1,5}")) {
          throw bad("\"" + a + "\" in job \"" + name + "\" is not host:port");
        }
        addresses.add(address);
      }
      cluster.put(name, List.copyOf(addresses));
    }
    if (!cluster.containsKey(WORKER) && !cluster.containsKey(CHIEF)) {
      throw bad("the cluster has no \"worker\" or \"chief\" job");
    }
    if (cluster.getOrDefault(CHIEF, List.of()).size() > 1) {
      throw bad("there can be one chief, not " + cluster.get(CHIEF).size());
    }
    if (!root.has("task") || !root.get("task").isJsonObject()) {
      throw bad("no \"task\" object saying which task this process is");
    }
    JsonObject t = root.getAsJsonObject("task");
    String type = t.has("type") && t.get("type").isJsonPrimitive() ? t.get("type").getAsString() : null;
    int index;
    try {
      index = t.has("index") ? t.get("index").getAsInt() : 0;
    } catch (RuntimeException e) {
      throw bad("task index " + t.get("index") + " is not a number");
    }
    if (type == null || !cluster.containsKey(type)) {
      throw bad("task type " + (type == null ? "is missing" : "\"" + type + "\" is not a job of the cluster"));
    }
    if (index < 0 || index >= cluster.get(type).size()) {
      throw bad("task index " + index + " is outside job \"" + type + "\" (" + cluster.get(type).size() + " tasks)");
    }
    return new TfConfig(cluster, new Task(type, index));
  }

  /** The task that owns the run: the {@code chief}, else worker 0. */
  public Task chief() {
    return cluster.containsKey(CHIEF) ? new Task(CHIEF, 0) : new Task(WORKER, 0);
  }

  public boolean isChief() {
    return task.equals(chief());
  }

  /** The tasks that compute a tower, the chief first. */
  public List<Task> workers() {
    List<Task> all = new ArrayList<>();
    if (cluster.containsKey(CHIEF)) {
      all.add(new Task(CHIEF, 0));
    }
    for (int i = 0; i < cluster.getOrDefault(WORKER, List.of()).size(); i++) {
      all.add(new Task(WORKER, i));
    }
    return List.copyOf(all);
  }

  /** The tasks that hold the variables; none means they live on the chief. */
  public List<Task> parameterServers() {
    List<Task> all = new ArrayList<>();
    for (int i = 0; i < cluster.getOrDefault(PS, List.of()).size(); i++) {
      all.add(new Task(PS, i));
    }
    return List.copyOf(all);
  }

  public String address(Task t) {
    return cluster.get(t.job()).get(t.index());
  }

  /** Every task but this one. */
  public List<Task> others() {
    List<Task> all = new ArrayList<>(workers());
    all.addAll(parameterServers());
    all.remove(task);
    return all;
  }

  /** The index of this task among {@link #workers()}, or -1 for a ps task. */
  public int workerIndex() {
    return workers().indexOf(task);
  }

  /** A {@code TF_CONFIG} that cannot be used is a usage error, like a bad flag. */
  private static IllegalArgumentException bad(String why) {
    return new IllegalArgumentException("cannot use " + ENV + ": " + why);
  }
}
