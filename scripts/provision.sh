#!/usr/bin/env bash
# The Debian packages the tests need, installed when missing (run by `npm test` before the tests,
# through the "pretest" script; CI's .ci/run calls the same `npm test`, so this is the one list):
#
#   chromium                                        the report's browser test (playwright-core drives it)
#   texlive-latex-base, texlive-latex-recommended   pdflatex: the LaTeX export must compile
#   python3-torch                                   the PyTorch export's tests (torch 1.13 for /usr/bin/python3)
#
# When everything is present it only looks (no apt calls; well under a second). Otherwise it runs
# `apt-get update` once and `apt-get install` as root, or through sudo when sudo needs no password;
# if it can do neither it stops (exit 1) with the exact command to run.
# PYTHON overrides the interpreter checked for torch (default /usr/bin/python3, Debian's).
set -euo pipefail

python=${PYTHON:-/usr/bin/python3}
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdflatex >/dev/null 2>&1 || need+=(texlive-latex-base texlive-latex-recommended)
# find_spec finds the module without importing it: importing torch takes seconds.
"$python" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("torch") is None)' >/dev/null 2>&1 || need+=(python3-torch)
[ ${#need[@]} -eq 0 ] && exit 0

install="apt-get install -y --no-install-recommends ${need[*]}"
if [ "$(id -u)" = 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "eomkit: the tests need Debian packages that are missing: ${need[*]}" >&2
  echo "install them, then run npm test again:" >&2
  echo "  sudo apt-get update && sudo $install" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "eomkit: the tests need ${need[*]} (Debian package names) and there is no apt-get here; install their equivalents" >&2
  exit 1
fi
echo "eomkit: installing the Debian packages the tests need: ${need[*]}" >&2
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
