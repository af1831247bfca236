#!/usr/bin/env python3
"""Loopback cluster benchmark: 1 ps + 2 workers running the same `train` command, against one process.

Measures, between step WARMUP and step STEPS of each run:
  - the step time (wall clock between the chief's progress lines);
  - the bytes each task sends and receives over TCP per step (`ss -tinp`: the kernel's
    bytes_sent/bytes_received of every connection the task's process holds);
  - the CPU seconds each task spends per step (/proc/<pid>/stat), so the chief's overhead over a
    plain worker shows even on a machine whose cores the three tasks share.

usage: bench/cluster.py [--image-size 64] [--batch-size 8] [--steps 30] [--threads 0]
Needs `mvn -q package -DskipTests` first (target/flower-resnet.jar). Prints JSON, then a summary.
"""
import argparse, json, os, re, socket, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "target", "flower-resnet.jar")
STEP = re.compile(r" step (\d+) ")


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def tcp_bytes():
    """pid -> [bytes sent, bytes received] over its TCP connections, from the kernel's tcp_info."""
    out = {}
    lines = subprocess.run(["ss", "-tinpH"], capture_output=True, text=True).stdout.splitlines()
    pid = None
    for line in lines:
        m = re.search(r"pid=(\d+)", line)
        if m:
            pid = int(m.group(1))
            continue
        if pid is None:
            continue
        sent = re.search(r"bytes_sent:(\d+)", line)
        received = re.search(r"bytes_received:(\d+)", line)
        totals = out.setdefault(pid, [0, 0])
        totals[0] += int(sent.group(1)) if sent else 0
        totals[1] += int(received.group(1)) if received else 0
        pid = None
    return out


def io(pid, tcp):
    out = {"wchar": tcp.get(pid, [0, 0])[0], "rchar": tcp.get(pid, [0, 0])[1]}
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    out["cpu_s"] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


def run(args, tf_configs, ckpt, batch, log_dir):
    """Starts one process per TF_CONFIG (None = one process alone); returns samples at warmup and end."""
    procs = []
    for i, tf in enumerate(tf_configs):
        env = dict(os.environ)
        env.pop("TF_CONFIG", None)
        if tf:
            env["TF_CONFIG"] = json.dumps(tf)
        cmd = ["java", "-Xmn64m", "-jar", JAR, "train", "--data-dir", args.data, "--checkpoint-dir", ckpt,
               "--image-size", str(args.image_size), "--batch-size", str(batch), "--max-steps", str(args.steps),
               "--epochs", "1000", "--threads", str(args.threads), "--precision", "fp32", "--no-report",
               "--log-every", "1", "--save-every", "100000"]
        log = open(os.path.join(log_dir, f"task-{i}.log"), "w")
        procs.append(subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE if i == 0 else log,
                                      stderr=subprocess.STDOUT if i == 0 else log, text=True))
    chief = procs[0]
    samples = {}
    for line in chief.stdout:
        m = STEP.search(line)
        if line.startswith("epoch") and m:
            step = int(m.group(1))
            if step in (args.warmup, args.steps):
                tcp = tcp_bytes()
                samples[step] = (time.monotonic(), [io(p.pid, tcp) for p in procs])
    chief.wait()
    for p in procs[1:]:
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
    if len(samples) < 2:
        sys.exit(f"the run did not reach step {args.steps}: see {log_dir}")
    (t0, a), (t1, b) = samples[args.warmup], samples[args.steps]
    n = args.steps - args.warmup
    per_task = [{
        "sent_bytes_per_step": (y["wchar"] - x["wchar"]) / n,
        "received_bytes_per_step": (y["rchar"] - x["rchar"]) / n,
        "cpu_seconds_per_step": (y["cpu_s"] - x["cpu_s"]) / n,
    } for x, y in zip(a, b)]
    return {"step_seconds": (t1 - t0) / n, "tasks": per_task}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--image-size", type=int, default=64)
    p.add_argument("--batch-size", type=int, default=8, help="per worker")
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--threads", type=int, default=0)
    args = p.parse_args()
    work = tempfile.mkdtemp(prefix="flowers-cluster-bench-")
    args.data = os.path.join(work, "data")
    subprocess.run(["java", "-jar", JAR, "generate", "--output", args.data, "--per-class", "20",
                    "--image-size", str(args.image_size)], check=True, stdout=subprocess.DEVNULL)
    ps, w0, w1 = free_ports(3)
    cluster = {"ps": [f"localhost:{ps}"], "worker": [f"localhost:{w0}", f"localhost:{w1}"]}
    tasks = [{"cluster": cluster, "task": {"type": t, "index": i}} for t, i in (("worker", 0), ("ps", 0), ("worker", 1))]
    one = run(args, [None], os.path.join(work, "one"), args.batch_size, work)
    two = run(args, tasks, os.path.join(work, "cluster"), args.batch_size, work)
    cpu = open("/proc/cpuinfo").read()
    machine = {k: re.search(rf"^{k}\s*: (.*)$", cpu, re.M).group(1) for k in ("model name", "cpu family", "model")}
    result = {
        "machine": machine, "cores": os.cpu_count(), "image_size": args.image_size,
        "batch_per_worker": args.batch_size, "steps_measured": args.steps - args.warmup,
        "one_process": one,
        "cluster_1ps_2workers": {"step_seconds": two["step_seconds"], "chief": two["tasks"][0],
                                 "ps": two["tasks"][1], "worker": two["tasks"][2]},
    }
    print(json.dumps(result, indent=2))
    c = result["cluster_1ps_2workers"]
    mb = 1e6
    print(f"\n{machine['model name']} (cpu family {machine['cpu family']}, model {machine['model']}), "
          f"{os.cpu_count()} cores, {args.image_size} px, batch {args.batch_size} per worker")
    print(f"one process:  {one['step_seconds'] * 1000:.0f} ms/step, "
          f"{one['tasks'][0]['cpu_seconds_per_step']:.2f} CPU s/step")
    print(f"1 ps + 2 workers on loopback: {c['step_seconds'] * 1000:.0f} ms/step (global batch {2 * args.batch_size})")
    for name in ("chief", "worker", "ps"):
        t = c[name]
        print(f"  {name:6s} sends {t['sent_bytes_per_step'] / mb:6.2f} MB/step, receives "
              f"{t['received_bytes_per_step'] / mb:6.2f} MB/step, {t['cpu_seconds_per_step']:.2f} CPU s/step")


if __name__ == "__main__":
    main()
