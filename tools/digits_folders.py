#!/usr/bin/env python3
"""Turns scikit-learn's bundled handwritten digits (Debian's python3-sklearn ships them as
sklearn/datasets/data/digits.csv.gz: 1,797 scans, 8x8, 17 grey levels, 10 classes) into the
folder-per-class layout `flowers train` reads.

  tools/digits_folders.py OUT [--csv PATH] [--test-share 0.2] [--seed 1]

writes OUT/train/<digit>/NNNN.png (train draws its own validation split from these) and
OUT/test/<digit>/NNNN.png: the same share of every class, held out, that no recipe is tuned on.
Without the package installed: apt-get download python3-sklearn && dpkg -x python3-sklearn_*.deb x
and pass --csv x/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz."""
import argparse, gzip, os, random

from grey_png import write_png

CSV = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"
CLASSES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def read(path):
    with gzip.open(path, "rt") as f:
        rows = [line.strip().split(",") for line in f if line.strip()]
    # 64 pixels in 0..16 (ink high), then the label
    return [(bytes(min(255, round(float(v) * 255 / 16)) for v in r[:64]), int(float(r[64]))) for r in rows]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--csv", default=CSV)
    p.add_argument("--test-share", type=float, default=0.2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    images = read(a.csv)
    rnd = random.Random(a.seed)
    counts = {"train": 0, "test": 0}
    for label in range(len(CLASSES)):
        mine = [i for i, (_, l) in enumerate(images) if l == label]
        rnd.shuffle(mine)
        held = set(mine[:round(len(mine) * a.test_share)])
        for i in mine:
            side = "test" if i in held else "train"
            folder = os.path.join(a.out, side, CLASSES[label])
            os.makedirs(folder, exist_ok=True)
            write_png(os.path.join(folder, f"{i:04d}.png"), images[i][0], 8, 8)
            counts[side] += 1
    print(f"{counts['train']} training and {counts['test']} held-out test images in {a.out}")


if __name__ == "__main__":
    main()
