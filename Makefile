# pytango: every target installs what it needs, and is quick when that is done already.
#   make demo    run the PowerSupply example (server without a database + client)
#   make test    full set-up on a fresh Debian machine, then the test suite
#   make dev     incremental editable build (persistent build dir, ccache, precompiled header)
#   make bench   benchmark figures, Python next to a C++ client over the same cppTango

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
APT_PKGS := libtango-dev libjpeg-dev tango-test libtango-tools pkg-config g++ make ccache python3-venv python3-dev
# The C++ Tango database for the database tests: DataBaseds (tango-db) on a MariaDB that the tests
# start themselves (tests/tango_databases.py). dbconfig-no-thanks: the package configures no
# database of its own; the service is not started at install (policy-rc.d), there is no init.
# redis-server: for the redis storage of our database server (started by the tests too).
DB_PKGS := mariadb-server mariadb-client tango-db dbconfig-no-thanks redis-server
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
EXT_SOURCES := $(shell find ext -name '*.cpp' -o -name '*.hpp') CMakeLists.txt pyproject.toml
export CCACHE_SLOPPINESS := pch_defines,time_macros,include_file_mtime,include_file_ctime
export CCACHE_BASEDIR := $(CURDIR)
export CMAKE_BUILD_PARALLEL_LEVEL ?= $(shell nproc)
PYTEST_ARGS ?=

.PHONY: demo test dev bench deps venv stubs clean
.DEFAULT_GOAL := test

# Debian packages: only what is missing is installed (apt-get update once, when needed).
deps: build/.apt-stamp
build/.apt-stamp:
	@missing=$$(for p in $(APT_PKGS) $(DB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  rcd=/usr/sbin/policy-rc.d; made_rcd=; \
	  if [ ! -e $$rcd ]; then printf '#!/bin/sh\nexit 101\n' | $(SUDO) tee $$rcd >/dev/null && $(SUDO) chmod +x $$rcd && made_rcd=1; fi; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $(APT_PKGS) >/dev/null; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $(DB_PKGS) >/dev/null \
	    || echo "WARNING: $(DB_PKGS) could not be installed: the C++ database (or redis) half of the database tests will be skipped"; \
	  [ -z "$$made_rcd" ] || $(SUDO) rm -f $$rcd; \
	fi
	@mkdir -p build && touch $@

venv: $(VENV)/.stamp
$(VENV)/.stamp: pyproject.toml build/.apt-stamp
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "scikit-build-core>=0.10" "pybind11>=3.0" cmake ninja numpy packaging cloudpickle pytest pytest-timeout gevent redis
	touch $@

dev: build/.dev-stamp
build/.dev-stamp: $(VENV)/.stamp $(EXT_SOURCES)
	$(PY) -m pip install -q --no-build-isolation --no-deps -e . \
	  -Cbuild-dir=build/dev
	touch $@

# cppTango's event queues hold 1000 events (ZMQ high-water marks, server and client): the event
# stress tests push bursts of thousands to slow callbacks and check that none is lost, so the
# queues get room for a burst (the test servers inherit the variables).
test: build/.dev-stamp
	TANGO_EVENT_BUFFER_HWM=20000 TANGO_DS_EVENT_BUFFER_HWM=20000 $(PY) -m pytest $(PYTEST_ARGS)

demo: build/.dev-stamp
	$(PY) examples/demo.py

bench: build/.dev-stamp
	$(MAKE) -C benchmarks PY=$(abspath $(PY))

stubs: build/.dev-stamp
	$(PY) -m pybind11_stubgen tango._tango -o . || echo "pip install pybind11-stubgen to regenerate the stubs"

clean:
	rm -rf build $(VENV)
