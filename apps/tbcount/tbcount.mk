# The QEMU TCG plugin that counts guest instructions per translated block
# (ukkv profile). It only needs a C compiler: QEMU's plugin API is
# declared in the source, as Debian ships no header for it.

TBCOUNT_DIR := apps/tbcount

PROGRAMS += $(BIN)/tbcount.so

$(BIN)/tbcount.so: $(TBCOUNT_DIR)/tbcount.c | $(BIN)
	$(CC) $(CFLAGS) -shared -fPIC -fvisibility=hidden -pthread -o $@ $<
