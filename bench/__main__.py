"""``python -m bench --scale full|small [--only officers,portal] [--no-load]``: see bench/harness.py."""

import argparse
import sys

from bench import harness


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=sorted(harness.SCALES), default="full", help="data-set size (default: full)")
    parser.add_argument("--only", default="", help="comma-separated bench modules to run (default: all found)")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn + wrk load test of the portal")
    parser.add_argument("--module", help=argparse.SUPPRESS)  # internal: run one module in this (child) process
    parser.add_argument("--rows-to", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.module:
        harness.run_module_here(args.module, args.scale, args.rows_to)
        return 0
    only = {name.strip() for name in args.only.split(",") if name.strip()} or None
    return harness.run(args.scale, only=only, load=not args.no_load)


if __name__ == "__main__":
    sys.exit(main())
