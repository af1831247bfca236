#!/usr/bin/env bash
# Our `bench` against the DJL + PyTorch peer (../shared/bench/peer-djl), alternating fresh JVMs on
# the same machine in the same run; prints the median of each figure and our/peer ratios.
#   usage: bench/compare.sh                 (REPS=3 SIZE=224 BATCH=16 STEPS=10 PRECISIONS="fp32 auto")
# `auto` is bf16 where the bf16 check passes on this machine and fp32 where it does not: rows say
# which ran ("auto=bf16"); an explicit bf16 would stop the run on a machine where bf16 is wrong.
# Ours runs through bin/flowers, so with the JVM and malloc settings users get.
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${REPS:-3}; SIZE=${SIZE:-224}; BATCH=${BATCH:-16}; STEPS=${STEPS:-10}; PRECISIONS=${PRECISIONS:-fp32 auto}
PEER_SRC=${PEER_SRC:-../shared/bench/peer-djl}
OUT=target/bench; PEER=target/peer-djl
mkdir -p "$OUT"

mvn -B -q -DskipTests package
if [[ ! -d $PEER/target/lib ]]; then
  rm -rf "$PEER"; cp -r "$PEER_SRC" "$PEER"; chmod -R u+w "$PEER"
  (cd "$PEER" && mvn -B -q package)
fi
JEMALLOC=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
if [[ ! -f $JEMALLOC ]]; then apt-get install -y -q libjemalloc2 >/dev/null; fi

peer() { # mode -> img/s or ms from the peer's RESULT line, with its best allocator setting
  (cd "$PEER" && LD_PRELOAD=$JEMALLOC MALLOC_CONF=oversize_threshold:0,dirty_decay_ms:-1,muzzy_decay_ms:-1 \
    java -Dai.djl.offline=true -DENGINE_CACHE_DIR=target/engine-cache -cp "target/classes:target/lib/*" \
    peer.PeerBench --mode "$1" --batch "$2" --size "$SIZE" --warmup 3 --steps "$STEPS" 2>/dev/null | grep '^RESULT')
}

: > "$OUT/runs.tsv"
for r in $(seq 1 "$REPS"); do
  for p in $PRECISIONS; do
    bin/flowers bench --image-size "$SIZE" --batch-size "$BATCH" \
      --steps "$STEPS" --precision "$p" --json "$OUT/ours-$p-$r.json" > "$OUT/ours-$p-$r.log" 2>&1
    python3 - "$OUT/ours-$p-$r.json" "$p" >> "$OUT/runs.tsv" <<'PY'
import json, sys
d, p = json.load(open(sys.argv[1])), sys.argv[2]
if p != d["precision"]:
    p = f"{p}={d['precision']}"
for k in ("train_img_per_s", "train_e2e_img_per_s", "infer_img_per_s", "latency_ms", "latency_bf16_ms", "peak_rss_mb"):
    if k in d:
        print(f"ours-{p}\t{k}\t{d[k]}")
PY
  done
  for mode in train infer-after-train latency; do
    b=$BATCH; [[ $mode == latency ]] && b=1
    line=$(peer "$mode" "$b")
    echo "$line" > "$OUT/peer-$mode-$r.log"
    if [[ $mode == latency ]]; then
      val=$(echo "$line" | tr ' ' '\n' | grep -E '^median_step_s=' | cut -d= -f2 | awk '{print $1 * 1000}')
    else
      val=$(echo "$line" | tr ' ' '\n' | grep -E '^median_img_per_s=' | cut -d= -f2)
    fi
    echo -e "peer\t$mode\t$val" >> "$OUT/runs.tsv"
  done
done

python3 - "$OUT/runs.tsv" <<'PY'
import statistics, sys, collections
v = collections.defaultdict(list)
for line in open(sys.argv[1]):
    who, key, val = line.rstrip("\n").split("\t")
    if val: v[(who, key)].append(float(val))
m = {k: statistics.median(x) for k, x in v.items()}
precisions = sorted({who[5:] for who, _ in m if who.startswith("ours-")})
print(f"{'figure':52} {'ours':>9} {'peer':>9} {'ratio':>7}")
for p in precisions:
    o = "ours-" + p
    rows = [(f"training, fed from memory (img/s), {p}", (o, "train_img_per_s"), ("peer", "train")),
            (f"training, JPEGs through the loader (img/s), {p}", (o, "train_e2e_img_per_s"), ("peer", "train")),
            (f"inference batch, trained weights (img/s), {p}", (o, "infer_img_per_s"), ("peer", "infer-after-train")),
            ("single-image latency (ms), fp32", (o, "latency_ms"), ("peer", "latency")),
            ("single-image latency (ms), bf16", (o, "latency_bf16_ms"), ("peer", "latency"))]
    for name, a, b in rows:
        x, y = m.get(a), m.get(b)
        if x is None:
            continue
        ratio = (x / y if "ms" not in name else y / x) if x and y else float("nan")
        print(f"{name:52} {x:9.1f} {y or float('nan'):9.1f} {ratio:7.2f}")
    print(f"peak RSS of the bench process, {p} (MB): {m.get((o, 'peak_rss_mb'), float('nan')):.0f}")
print("(ratio > 1 means we are faster; medians of", len(v[('peer', 'train')]), "fresh-JVM runs each)")
PY
python3 - "$OUT"/ours-*-1.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"machine: {d.get('cpu_name')}, cpu family {d.get('cpu_family')} model {d.get('cpu_model')} stepping "
      f"{d.get('cpu_stepping')}, {d.get('cores')} cores; oneDNN {d.get('onednn_version')}, {d.get('onednn_isa')}; "
      f"conv1 kernels fp32 {d.get('conv1_fp32_kernel')}, bf16 {d.get('conv1_bf16_kernel')}")
for f in sys.argv[1:]:
    c = json.load(open(f)).get("bf16_check")
    if c:
        print(f"{f.split('/')[-1]}: {c}")
PY
