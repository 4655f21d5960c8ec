#!/usr/bin/env bash
# Installs the Debian packages chiptherm needs to build, test and render.
# Idempotent and non-interactive; run as root (or with sudo available).
# Why each package is here: see docs/dependencies.md.
set -euo pipefail

packages=(
  cmake ninja-build g++ ccache pkg-config
  libdeal.ii-dev          # FEM: p4est meshes, DoF handling, PETSc/hypre wrappers
  petsc-dev               # distributed linear algebra, CG + BoomerAMG (hypre)
  libgmsh-dev             # Gmsh SDK: chiptherm mesh writes .msh, mesh.file reads it
  libyaml-cpp-dev         # case file reader (keeps line numbers for messages)
  nlohmann-json3-dev      # report.json
  libcli11-dev            # command line
  doctest-dev             # unit tests
  libtorch-dev            # the learned hotspot predictor (LibTorch 1.13, CPU)
  libpng-dev              # chiptherm predict: the predicted maps as pictures
  libhypre-dev            # BoomerAMG for the predictor's package model (PETSc's AMG, used directly)
  zlib1g-dev              # CRC-32 digests of checkpoint files
  liblz4-dev              # LZ4: the compressed arrays of the ParaView files
  libssl-dev              # libcrypto's base64 encoder: the ParaView files' arrays as text
  openmpi-bin             # mpirun for parallel runs and tests
  paraview python3-paraview xvfb  # pvpython views rendered off-screen in tests
  python3                 # regression tests drive the CLI from Python (stdlib only)
  time                    # /usr/bin/time -v for benchmark memory figures
  python3-numpy python3-scipy python3-yaml  # bench/compact_models.py: the HotSpot- and 3D-ICE-style reference models
  clang                   # fuzz/: libFuzzer with AddressSanitizer + UBSan on every reader of outside bytes
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
