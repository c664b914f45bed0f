#!/bin/sh
# Install every build and runtime dependency of gbakit on a fresh Debian 12 machine.
# Idempotent; run as root. Fails loudly (set -e) when apt fails.
set -eu

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: run as root (apt-get install)" >&2
	exit 1
fi

# build: toolchain and libraries (configure checks each with pkg-config)
BUILD="autoconf automake libtool pkg-config make gcc clang libclang-rt-14-dev
	libssl-dev libpcsclite-dev libosmocore-dev libmicrohttpd-dev libxml2-dev
	libcurl4-openssl-dev libsqlite3-dev libconfig-dev check"
# runtime and integration tests: real pcscd + vpcd, osmo-hlr, TLS tools
RUNTIME="pcscd vsmartcard-vpcd pcsc-tools osmo-hlr openssl ca-certificates sqlite3 iproute2
	procps psmisc valgrind"
# -- apdu/uicc extra packages
# -- bsf extra packages
BUILD="$BUILD libgnutls28-dev"
BUILD="$BUILD libosmo-gsup-client-dev"
BUILD="$BUILD libhiredis-dev"
RUNTIME="$RUNTIME redis-server"
# -- ue/naf extra packages
RUNTIME="$RUNTIME curl"	# tests/ue/pcsc.sh asks gba-bsf's Zn with curl
# -- diameter extra packages
BUILD="$BUILD libfreediameter-dev"
RUNTIME="$RUNTIME freediameter tshark"
# -- hardening/bench extra packages
RUNTIME="$RUNTIME gnuplot-nox"
# -- packaging extra packages
BUILD="$BUILD libsystemd-dev debhelper dpkg-dev fakeroot lintian g++"

export DEBIAN_FRONTEND=noninteractive
# apt-get update only when the lists are missing or older than a day
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' -mtime -1 2>/dev/null | head -n 1)" ]; then
	apt-get update -q
fi
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $BUILD $RUNTIME
echo "install-deps.sh: all dependencies installed"
