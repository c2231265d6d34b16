# ukkv: `make` builds every program into bin/, `make test` checks it all.
# Each app adds its programs to PROGRAMS and its checks to CHECKS in its
# own fragment, so this file only wires them together.

BIN      ?= bin
CC       ?= cc
CFLAGS   ?= -O2 -g -Wall -Wextra -Werror
GO       ?= go
PROGRAMS :=
CHECKS   :=

# Debian packages the build and the tests need (`make deps` installs them).
DEB_PACKAGES := build-essential clang pkg-config git flex bison \
	libncurses-dev wget unzip qemu-system-x86 dpdk dpdk-dev libdpdk-dev \
	memcached libmemcached-tools iproute2 ethtool cpio busybox-static python3

.PHONY: all deps test check-go clean evaluate unikraft-images

all: $(BIN)/ukkv
include apps/kvstore/kvstore.mk
include apps/kvload/kvload.mk
include apps/kvstore-go/kvstore-go.mk
include apps/tbcount/tbcount.mk
all: $(PROGRAMS)

$(BIN):
	mkdir -p $@

$(BIN)/ukkv: go.mod go.sum $(shell find tools -name '*.go' -not -name '*_test.go') | $(BIN)
	$(GO) build -o $@ ./tools/cmd/ukkv

# Runs go test and lists every skipped test with its reason.
$(BIN)/testreport: go.mod $(wildcard tools/testreport/*.go tools/cmd/testreport/*.go) | $(BIN)
	$(GO) build -o $@ ./tools/cmd/testreport

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi
	$(GO) mod download

# Ends with "skipped: N" and each skipped test's reason; UKKV_STRICT=1
# fails on any skip. The build package's tests build every image with
# both backends, longer than go test's default ten minutes on a busy machine.
check-go: all $(BIN)/testreport
	$(GO) vet ./...
	@if command -v kraft >/dev/null; then echo "kraft backend tests run with $$(kraft version | head -n 1)"; \
	else echo "kraft not on PATH: the kraft backend tests skip (README: Building with kraft)"; fi
	GO=$(GO) $(BIN)/testreport -count=1 -timeout 30m ./...

# The test command of the README: installs what is missing, then runs
# every check of every app and of the toolkit.
test: deps
	$(MAKE) all
	$(MAKE) unikraft-images
	$(MAKE) $(CHECKS) check-go

# The Unikraft images the boot and bench tests use, built once the pinned
# sources are in the cache (fetched when online); without them those
# tests skip and say how to get the sources.
unikraft-images: $(BIN)/ukkv
	@if $(BIN)/ukkv sources get; then \
		$(BIN)/ukkv build all --no-results && \
		$(BIN)/ukkv build all --no-results --profile size; \
	else \
		echo "Unikraft sources missing: the Unikraft tests will skip"; \
	fi

# The main job: build every variant, boot them, measure, report. Each
# step writes its own folder of results/; run it on an otherwise idle
# machine.
# The sources come first: offline and without them, it stops at once
# naming the import command.
evaluate: deps $(BIN)/ukkv
	$(BIN)/ukkv sources get
	$(MAKE) all
	$(BIN)/ukkv build all
	$(BIN)/ukkv build all --no-results --profile size
	$(MAKE) bench-kvcore
	$(BIN)/ukkv loopback
	$(BIN)/ukkv compare --profiles perf,size
	$(BIN)/ukkv sizes
	$(BIN)/ukkv bench
	$(BIN)/ukkv profile

clean:
	rm -rf $(BIN)
