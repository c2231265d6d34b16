# The KV server: core, Linux front ends, and their checks.

KV_DIR   := apps/kvstore
KV_CORE  := $(KV_DIR)/core
KV_TESTS := $(KV_DIR)/tests
KV_TEST_HDRS := $(KV_TESTS)/check.h
KV_BUILD := build/kvstore
KV_CORE_SRCS := $(KV_CORE)/kv.c
KV_CORE_HDRS := $(KV_CORE)/kv.h $(KV_CORE)/mem.h $(KV_CORE)/csum.h
KV_PKT_SRCS  := $(KV_CORE)/pkt.c
KV_PKT_HDRS  := $(KV_CORE)/pkt.h $(KV_CORE)/csum.h $(KV_CORE)/mem.h
# What every front end, Linux and Unikraft, shares: flags, set-up, stats
KV_COMMON    := $(KV_DIR)/common
KV_OPT_SRCS  := $(KV_COMMON)/options.c
KV_OPT_HDRS  := $(KV_COMMON)/options.h $(KV_COMMON)/batch.h

KV_LINUX     := $(KV_DIR)/linux
KV_LINUX_COMMON := $(KV_LINUX)/server.c $(KV_OPT_SRCS) $(KV_CORE_SRCS)
KV_LINUX_DEPS   := $(KV_LINUX_COMMON) $(KV_LINUX)/server.h $(KV_LINUX)/gso.h $(KV_OPT_HDRS) \
	$(KV_CORE_HDRS)
# Static: the binaries are copied as they are into a Linux guest's initramfs.
# KV_HUGEPAGES puts the table on transparent huge pages (Linux only).
KV_LINUX_CFLAGS := $(CFLAGS) -D_GNU_SOURCE -DKV_HUGEPAGES -I$(KV_CORE) \
	-I$(KV_COMMON) -static

# Checks run with both sanitizers: any read or write out of bounds fails.
KV_SAN_CFLAGS := -O1 -g -Wall -Wextra -Werror -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all -I$(KV_CORE)
KV_FUZZ_CC    ?= clang
KV_FUZZ_SECS  ?= 30
KV_FUZZ_CFLAGS := -O1 -g -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Wall -Wextra -Werror -I$(KV_CORE)

.PHONY: check-kvcore check-kvcommon check-kvpkt check-kvfuzz check-kvdpdk bench-kvcore

$(KV_BUILD):
	mkdir -p $@

KV_SOCKET_BINS := $(BIN)/kvstore-linux-single $(BIN)/kvstore-linux-batch

$(KV_SOCKET_BINS): $(BIN)/kvstore-linux-%: $(KV_LINUX)/%.c $(KV_LINUX_DEPS) | $(BIN)
	$(CC) $(KV_LINUX_CFLAGS) -o $@ $< $(KV_LINUX_COMMON)

PROGRAMS += $(KV_SOCKET_BINS)

# The single front end as a static PIE, otherwise unmodified: the binary
# Unikraft's app-elfloader loads (it refuses executables that are not PIE).
$(BIN)/kvstore-linux-single-pie: $(KV_LINUX)/single.c $(KV_LINUX_DEPS) | $(BIN)
	$(CC) $(filter-out -static,$(KV_LINUX_CFLAGS)) -static-pie -fPIE -o $@ $< $(KV_LINUX_COMMON)

PROGRAMS += $(BIN)/kvstore-linux-single-pie

# The DPDK front end, where Debian's libdpdk is installed (make deps).
# Static too, with the PMDs it is run on: virtio (in a guest) and tap (on
# a host). pkg-config's own static line would pull every driver and the
# libraries they need, which Debian does not all ship as archives.
# DPDK's headers do not build with -Wextra's unused-parameter warnings.
ifeq ($(shell pkg-config --exists libdpdk && echo yes),yes)
KV_DPDK_CFLAGS := $(CFLAGS) -Wno-unused-parameter -D_GNU_SOURCE \
	-DKV_HUGEPAGES -I$(KV_CORE) -I$(KV_COMMON) \
	$(shell pkg-config --cflags libdpdk) -static
KV_DPDK_PMDS   := bus_pci bus_vdev mempool_ring net_virtio net_tap
KV_DPDK_LIBS   := -Wl,--whole-archive $(KV_DPDK_PMDS:%=-l:librte_%.a) \
	-Wl,--no-whole-archive \
	$(patsubst %,-l:librte_%.a,gso ethdev hash net mbuf mempool ring \
		meter pci rcu eal kvargs telemetry) \
	-lbsd -lmd -lnuma -lpthread -ldl -lm

$(BIN)/kvstore-linux-dpdk: $(KV_LINUX)/dpdk.c $(KV_LINUX_DEPS) $(KV_PKT_SRCS) $(KV_PKT_HDRS) | $(BIN)
	$(CC) $(KV_DPDK_CFLAGS) -o $@ $< $(KV_LINUX_COMMON) $(KV_PKT_SRCS) \
		$(KV_DPDK_LIBS)

PROGRAMS += $(BIN)/kvstore-linux-dpdk

# On the host: a net_tap port, requests from the kernel side (root).
check-kvdpdk: $(BIN)/kvstore-linux-dpdk $(KV_BUILD)/udp_probe
	$(KV_TESTS)/dpdk_test.sh $(BIN)/kvstore-linux-dpdk $(KV_BUILD)/udp_probe

CHECKS += check-kvdpdk
endif

$(KV_BUILD)/udp_probe: $(KV_TESTS)/udp_probe.c | $(KV_BUILD)
	$(CC) $(CFLAGS) -o $@ $<

# kv_test: the core as Unikraft builds it; kv_test_huge: as Linux does.
$(KV_BUILD)/kv_test: $(KV_TESTS)/kv_test.c $(KV_CORE_SRCS) $(KV_CORE_HDRS) $(KV_TEST_HDRS) | $(KV_BUILD)
	$(CC) $(KV_SAN_CFLAGS) -o $@ $(KV_TESTS)/kv_test.c $(KV_CORE_SRCS)

$(KV_BUILD)/kv_test_huge: $(KV_TESTS)/kv_test.c $(KV_CORE_SRCS) $(KV_CORE_HDRS) $(KV_TEST_HDRS) | $(KV_BUILD)
	$(CC) $(KV_SAN_CFLAGS) -DKV_HUGEPAGES -o $@ $(KV_TESTS)/kv_test.c $(KV_CORE_SRCS)

$(KV_BUILD)/mem_test: $(KV_TESTS)/mem_test.c $(KV_CORE)/mem.h $(KV_TEST_HDRS) | $(KV_BUILD)
	$(CC) $(KV_SAN_CFLAGS) -o $@ $(KV_TESTS)/mem_test.c

check-kvcore: $(KV_BUILD)/kv_test $(KV_BUILD)/kv_test_huge $(KV_BUILD)/mem_test
	$(KV_BUILD)/kv_test
	$(KV_BUILD)/kv_test_huge
	$(KV_BUILD)/mem_test

$(KV_BUILD)/options_test: $(KV_TESTS)/options_test.c $(KV_OPT_SRCS) $(KV_OPT_HDRS) $(KV_CORE_SRCS) $(KV_CORE_HDRS) $(KV_TEST_HDRS) | $(KV_BUILD)
	$(CC) $(KV_SAN_CFLAGS) -I$(KV_COMMON) -o $@ $(KV_TESTS)/options_test.c $(KV_OPT_SRCS) $(KV_CORE_SRCS)

$(KV_BUILD)/batch_test: $(KV_TESTS)/batch_test.c $(KV_COMMON)/batch.h $(KV_TEST_HDRS) | $(KV_BUILD)
	$(CC) $(KV_SAN_CFLAGS) -I$(KV_COMMON) -o $@ $(KV_TESTS)/batch_test.c

$(KV_BUILD)/gso_test: $(KV_TESTS)/gso_test.c $(KV_LINUX)/gso.h $(KV_TEST_HDRS) | $(KV_BUILD)
	$(CC) $(KV_SAN_CFLAGS) -D_GNU_SOURCE -I$(KV_LINUX) -o $@ $(KV_TESTS)/gso_test.c

# The front ends' shared options and batching policy, and which replies
# kvstore-linux-batch sends as one
check-kvcommon: $(KV_BUILD)/options_test $(KV_BUILD)/batch_test $(KV_BUILD)/gso_test
	$(KV_BUILD)/options_test
	$(KV_BUILD)/batch_test
	$(KV_BUILD)/gso_test

$(KV_BUILD)/pkt_test: $(KV_TESTS)/pkt_test.c $(KV_PKT_SRCS) $(KV_PKT_HDRS) $(KV_TEST_HDRS) | $(KV_BUILD)
	$(CC) $(KV_SAN_CFLAGS) -o $@ $(KV_TESTS)/pkt_test.c $(KV_PKT_SRCS)

check-kvpkt: $(KV_BUILD)/pkt_test
	$(KV_BUILD)/pkt_test

$(KV_BUILD)/fuzz_kv: $(KV_TESTS)/fuzz_kv.c $(KV_CORE_SRCS) $(KV_CORE_HDRS) | $(KV_BUILD)
	$(KV_FUZZ_CC) $(KV_FUZZ_CFLAGS) -o $@ $(KV_TESTS)/fuzz_kv.c $(KV_CORE_SRCS)

$(KV_BUILD)/fuzz_pkt: $(KV_TESTS)/fuzz_pkt.c $(KV_PKT_SRCS) $(KV_PKT_HDRS) | $(KV_BUILD)
	$(KV_FUZZ_CC) $(KV_FUZZ_CFLAGS) -o $@ $(KV_TESTS)/fuzz_pkt.c $(KV_PKT_SRCS)

# Each fuzzer runs KV_FUZZ_SECS seconds from the committed corpus. What it
# finds goes to a temporary folder, never into the tree; a crash leaves
# that folder behind and names it.
check-kvfuzz: $(KV_BUILD)/fuzz_kv $(KV_BUILD)/fuzz_pkt
	@for t in kv pkt; do \
		tmp=$$(mktemp -d -t kvstore-fuzz-$$t.XXXXXX) || exit 1; \
		dict=; [ $$t = kv ] && dict=-dict=$(KV_TESTS)/kv.dict; \
		echo "fuzz_$$t: $(KV_FUZZ_SECS) s"; \
		if $(KV_BUILD)/fuzz_$$t -max_total_time=$(KV_FUZZ_SECS) \
			-timeout=10 -artifact_prefix=$$tmp/ $$dict \
			$$tmp $(KV_TESTS)/corpus/$$t >$$tmp/log 2>&1; then \
			grep -E "DONE|^Done" $$tmp/log; rm -rf $$tmp; \
		else \
			tail -n 40 $$tmp/log; \
			echo "fuzz_$$t failed: input and log kept in $$tmp"; \
			exit 1; \
		fi; \
	done

CHECKS += check-kvcore check-kvcommon check-kvpkt check-kvfuzz

# The core's cost per request, built as the Linux servers are, written
# to results/ with how and where it was measured. Not a check: run it on
# a quiet machine.
KV_BENCH_KEYS  ?= 100000
KV_BENCH_VALUE ?= 32

$(KV_BUILD)/bench_kv: $(KV_TESTS)/bench_kv.c $(KV_CORE_SRCS) $(KV_CORE_HDRS) | $(KV_BUILD)
	$(CC) $(CFLAGS) -DKV_HUGEPAGES -I$(KV_CORE) -o $@ $(KV_TESTS)/bench_kv.c $(KV_CORE_SRCS)

bench-kvcore: $(KV_BUILD)/bench_kv
	@mkdir -p results
	@{ echo "# KV core cost per request"; echo; \
	  echo "- command: make bench-kvcore KV_BENCH_KEYS=$(KV_BENCH_KEYS) KV_BENCH_VALUE=$(KV_BENCH_VALUE)"; \
	  echo "- date: $$(date -u +%Y-%m-%dT%H:%M:%SZ)"; \
	  echo "- commit: $$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"; \
	  echo "- cpu: $$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $$(nproc) cores"; \
	  echo "- compiler: $$($(CC) --version | head -n 1), $(CFLAGS)"; \
	  echo; $(KV_BUILD)/bench_kv $(KV_BENCH_KEYS) $(KV_BENCH_VALUE); \
	} > results/.kvcore.md.tmp && mv results/.kvcore.md.tmp results/kvcore.md \
	|| { rm -f results/.kvcore.md.tmp; exit 1; }
	@cat results/kvcore.md
