#!/usr/bin/env bash
# Installs the Debian 12 packages ptmc needs, only those that are missing.
set -euo pipefail
packages=(
  build-essential cmake git pkg-config
  libopenmpi-dev openmpi-bin libeigen3-dev libhdf5-dev libtomlplusplus-dev libcli11-dev
  libfmt-dev doctest-dev libbenchmark-dev
  python3 python3-numpy python3-scipy python3-h5py python3-matplotlib python3-pandas
  # Data sets: Fashion-MNIST's IDX files (/usr/share/datasets/fashion-mnist) and scikit-learn's 8 x 8
  # digits (the tests read its digits.csv.gz)
  dataset-fashion-mnist python3-sklearn
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "ptmc: all Debian packages present"
  exit 0
fi
echo "ptmc: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
