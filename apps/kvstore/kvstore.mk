# The KV server: core, Linux front ends, and their checks.

KV_DIR   := apps/kvstore
KV_CORE  := $(KV_DIR)/core
KV_TESTS := $(KV_DIR)/tests
KV_BUILD := build/kvstore
KV_CORE_SRCS := $(KV_CORE)/kv.c
KV_CORE_HDRS := $(KV_CORE)/kv.h
KV_PKT_SRCS  := $(KV_CORE)/pkt.c
KV_PKT_HDRS  := $(KV_CORE)/pkt.h

KV_LINUX     := $(KV_DIR)/linux
KV_LINUX_COMMON := $(KV_LINUX)/server.c $(KV_CORE_SRCS)
KV_LINUX_DEPS   := $(KV_LINUX_COMMON) $(KV_LINUX)/server.h $(KV_CORE_HDRS)
# Static: the binaries are copied as they are into a Linux guest's initramfs.
KV_LINUX_CFLAGS := $(CFLAGS) -D_GNU_SOURCE -I$(KV_CORE) -static

# Checks run with both sanitizers: any read or write out of bounds fails.
KV_SAN_CFLAGS := -O1 -g -Wall -Wextra -Werror -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all -I$(KV_CORE)
KV_FUZZ_CC    ?= clang
KV_FUZZ_SECS  ?= 30

.PHONY: check-kvcore check-kvpkt bench-kvcore

$(KV_BUILD):
	mkdir -p $@

$(BIN)/kvstore-linux-%: $(KV_LINUX)/%.c $(KV_LINUX_DEPS) | $(BIN)
	$(CC) $(KV_LINUX_CFLAGS) -o $@ $< $(KV_LINUX_COMMON)

PROGRAMS += $(BIN)/kvstore-linux-single $(BIN)/kvstore-linux-batch

$(KV_BUILD)/kv_test: $(KV_TESTS)/kv_test.c $(KV_CORE_SRCS) $(KV_CORE_HDRS) | $(KV_BUILD)
	$(CC) $(KV_SAN_CFLAGS) -o $@ $(KV_TESTS)/kv_test.c $(KV_CORE_SRCS)

check-kvcore: $(KV_BUILD)/kv_test
	$(KV_BUILD)/kv_test

$(KV_BUILD)/pkt_test: $(KV_TESTS)/pkt_test.c $(KV_PKT_SRCS) $(KV_PKT_HDRS) | $(KV_BUILD)
	$(CC) $(KV_SAN_CFLAGS) -o $@ $(KV_TESTS)/pkt_test.c $(KV_PKT_SRCS)

check-kvpkt: $(KV_BUILD)/pkt_test
	$(KV_BUILD)/pkt_test

CHECKS += check-kvcore check-kvpkt
