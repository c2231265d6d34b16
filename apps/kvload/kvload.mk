# The DPDK load generator.

KVLOAD_DIR   := apps/kvload
KVLOAD_BUILD := build/kvload
KVLOAD_SRCS  := $(KVLOAD_DIR)/kvload.c $(KVLOAD_DIR)/proto.c \
	$(KVLOAD_DIR)/track.c $(KVLOAD_DIR)/hist.c $(KVLOAD_DIR)/workload.c
# the KV core gives the preload pattern and the frame codec
KVLOAD_CORE  := $(sort $(KV_CORE_SRCS) $(KV_CORE)/pkt.c)
KVLOAD_HDRS  := $(wildcard $(KVLOAD_DIR)/*.h) $(KV_CORE_HDRS) $(KV_CORE)/pkt.h
# Debian's libdpdk; its pkg-config adds -march=corei7, which every
# x86-64 machine DPDK supports has.
KVLOAD_DPDK_CFLAGS = $(shell pkg-config --cflags libdpdk)
KVLOAD_DPDK_LIBS   = $(shell pkg-config --libs libdpdk)
KVLOAD_CFLAGS := $(CFLAGS) -I$(KV_CORE) -I$(KVLOAD_DIR)

PROGRAMS += $(BIN)/kvload

$(BIN)/kvload: $(KVLOAD_SRCS) $(KVLOAD_CORE) $(KVLOAD_HDRS) | $(BIN)
	$(CC) $(KVLOAD_CFLAGS) $(KVLOAD_DPDK_CFLAGS) -o $@ \
		$(KVLOAD_SRCS) $(KVLOAD_CORE) $(KVLOAD_DPDK_LIBS) -lm

.PHONY: check-kvload

# The I/O-free parts (protocol, request table, histogram) against the
# real KV core, with sanitizers; no DPDK needed.
KVLOAD_TEST_SRCS := $(KVLOAD_DIR)/tests/kvload_test.c $(KVLOAD_DIR)/proto.c \
	$(KVLOAD_DIR)/track.c $(KVLOAD_DIR)/hist.c $(KV_CORE_SRCS)

$(KVLOAD_BUILD):
	mkdir -p $@

$(KVLOAD_BUILD)/kvload_test: $(KVLOAD_TEST_SRCS) $(KVLOAD_HDRS) $(KV_TEST_HDRS) | $(KVLOAD_BUILD)
	$(CC) $(KV_SAN_CFLAGS) -I$(KVLOAD_DIR) -I$(KV_TESTS) -o $@ $(KVLOAD_TEST_SRCS)

check-kvload: $(KVLOAD_BUILD)/kvload_test
	$(KVLOAD_BUILD)/kvload_test

CHECKS += check-kvload
