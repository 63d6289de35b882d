"""Command line, without Django: ``python -m risk.ml train OUT_DIR [--fast] [--seed N]`` trains,
saves ``OUT_DIR/model.joblib`` with its model card and prints the sha256 and the metrics;
``python -m risk.ml reduce-data SOURCE_CSV`` rebuilds risk/data/lendingclub_2007_2011.csv.gz."""

import argparse
import json
from pathlib import Path

from . import DEFAULT_DATA_PATH, fit_only, save_bundle, train_and_evaluate, write_model_card
from .data import reduce_source


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m risk.ml")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train, save the bundle and write the model card")
    train.add_argument("out_dir", type=Path)
    train.add_argument("--data", type=Path, default=DEFAULT_DATA_PATH)
    train.add_argument("--seed", type=int, default=42)
    train.add_argument("--fast", action="store_true", help="fit_only: skip cross-validation")
    reduce = commands.add_parser("reduce-data", help="rebuild the project's copy of the data")
    reduce.add_argument("source", type=Path)
    reduce.add_argument("--out", type=Path, default=DEFAULT_DATA_PATH)
    args = parser.parse_args(argv)

    if args.command == "reduce-data":
        print(reduce_source(args.source, args.out))
        return
    bundle = (fit_only if args.fast else train_and_evaluate)(args.data, seed=args.seed)
    digest = save_bundle(bundle, args.out_dir / "model.joblib")
    card = write_model_card(bundle, args.out_dir)
    print(json.dumps({"version": bundle.version, "artifact": str(args.out_dir / "model.joblib"),
                      "sha256": digest, "card": str(card), "metrics": bundle.metrics},
                     indent=2, default=str))


if __name__ == "__main__":
    main()
