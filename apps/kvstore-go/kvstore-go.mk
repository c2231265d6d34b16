# The KV server in Go: the same protocol and table as the C core, on Go's
# standard library sockets.

KVGO_DIR := apps/kvstore-go

# Static (no cgo), so that it is copied as it is into a Linux guest's
# initramfs, like the C front ends.
$(BIN)/kvstore-go: go.mod go.sum $(shell find $(KVGO_DIR) -name '*.go' -not -name '*_test.go') | $(BIN)
	CGO_ENABLED=0 $(GO) build -trimpath -o $@ ./$(KVGO_DIR)

PROGRAMS += $(BIN)/kvstore-go

# The same server as a static PIE, the binary Unikraft's app-elfloader
# loads (it refuses one that is not position-independent): Go links a
# static PIE only through the external linker, hence cgo; netgo keeps
# name resolution in Go.
$(BIN)/kvstore-go-pie: go.mod go.sum $(shell find $(KVGO_DIR) -name '*.go' -not -name '*_test.go') | $(BIN)
	CGO_ENABLED=1 $(GO) build -trimpath -buildmode=pie -tags netgo \
		-ldflags "-linkmode external -extldflags -static-pie" -o $@ ./$(KVGO_DIR)

PROGRAMS += $(BIN)/kvstore-go-pie

.PHONY: check-kvgofuzz

# Go's fuzzer on its request handler for KV_FUZZ_SECS seconds, seeded
# with the C core's corpus. A failing input is kept, as Go does, under
# $(KVGO_DIR)/kv/testdata/fuzz/FuzzHandle/: once fixed, commit it as a
# regression case.
check-kvgofuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzHandle$$' -fuzztime $(KV_FUZZ_SECS)s ./$(KVGO_DIR)/kv

CHECKS += check-kvgofuzz
