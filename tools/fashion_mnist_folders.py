#!/usr/bin/env python3
"""Turns Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) into the
folder-per-class layout `flowers train` reads: real photos of 10 kinds of clothing, 28x28 grey.

  tools/fashion_mnist_folders.py OUT [--train-per-class 180] [--test-per-class 100] [--seed 1]

writes OUT/train/<class>/NNNNN.png (train draws its own validation split from these) and
OUT/test/<class>/NNNNN.png from Fashion-MNIST's own test set: a held-out set no recipe is tuned on.
Pure standard library: no numpy or PIL on this machine."""
import argparse, gzip, os, random, struct

from grey_png import write_png

SRC = "/usr/share/datasets/fashion-mnist"
CLASSES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"]


def read(kind):
    with gzip.open(f"{SRC}/{kind}-images-idx3-ubyte.gz") as f:
        _, n, rows, cols = struct.unpack(">IIII", f.read(16))
        pixels = f.read(n * rows * cols)
    with gzip.open(f"{SRC}/{kind}-labels-idx1-ubyte.gz") as f:
        f.read(8)
        labels = f.read(n)
    return [(pixels[i * rows * cols:(i + 1) * rows * cols], labels[i]) for i in range(n)], rows, cols


def write(images, rows, cols, per_class, out, rnd):
    order = list(range(len(images)))
    rnd.shuffle(order)
    taken = [0] * len(CLASSES)
    for i in order:
        data, label = images[i]
        if taken[label] >= per_class:
            continue
        taken[label] += 1
        folder = os.path.join(out, CLASSES[label])
        os.makedirs(folder, exist_ok=True)
        write_png(os.path.join(folder, f"{i:05d}.png"), data, rows, cols)
    return sum(taken)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--train-per-class", type=int, default=180)
    p.add_argument("--test-per-class", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rnd = random.Random(a.seed)
    train, rows, cols = read("train")
    test, _, _ = read("t10k")
    n = write(train, rows, cols, a.train_per_class, os.path.join(a.out, "train"), rnd)
    m = write(test, rows, cols, a.test_per_class, os.path.join(a.out, "test"), rnd)
    print(f"{n} training and {m} held-out test images in {a.out}")


if __name__ == "__main__":
    main()
