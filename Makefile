# folio - build, test and run.
#   make          build build/folio (installs missing Debian packages first)
#   make run      build, build the example site and serve it on :8080
#   make test     build and run every test
#   make asan     the whole suite under AddressSanitizer + UBSan
#   make bench    the benchmark programs
#   make fuzz     builds the fuzz harnesses (clang, libFuzzer) and runs each FUZZ_SECONDS

CC      ?= cc
PKGS    := md4c yaml-0.1 libmicrohttpd vips zlib libbrotlienc libbrotlidec nettle libidn2
BUILD   ?= build
OPT     ?= -O2 -g
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter \
               -Wshadow -Wstrict-prototypes -pthread -Isrc -I$(BUILD)/gen
DEPS_OK := $(shell pkg-config --exists $(PKGS) 2>/dev/null && echo yes)
ifeq ($(DEPS_OK),yes)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
endif
CFLAGS  += $(CFLAGS_BASE) $(OPT) $(PKG_CFLAGS) $(SAN)
LDLIBS  += $(PKG_LIBS) -lm -pthread $(SAN)

SRCS      := $(shell find src -name '*.c' | sort)
LIB_SRCS  := $(filter-out src/main.c,$(SRCS))
THEME     := $(shell find src/theme/files -type f 2>/dev/null | sort)
GEN_SRCS  := $(BUILD)/gen/theme_files.c
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/gen/theme_files.o
TEST_SRCS := $(wildcard tests/test_*.c)
TESTS     := $(filter-out $(BUILD)/tests/test_main,$(TEST_SRCS:tests/%.c=$(BUILD)/tests/%))
BENCHES   := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))
FUZZERS   := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60

.PHONY: all deps test-deps run test asan bench clean site fuzz fuzz-bins fuzz-run

all: deps
	@$(MAKE) --no-print-directory $(BUILD)/folio

deps:
	@pkg-config --exists $(PKGS) 2>/dev/null || scripts/install-deps

# folio itself does not link libvips: it opens it when a photo is first
# decoded (src/media/libvips.h), so starting needs no hundred libraries.
FOLIO_LIBS := $(if $(DEPS_OK),$(shell pkg-config --libs $(filter-out vips,$(PKGS))))

$(BUILD)/folio: $(BUILD)/src/main.o $(BUILD)/libfolio.a
	@echo "  LD  $@"
	@$(CC) -o $@ $^ $(FOLIO_LIBS) -ldl -lm -pthread $(SAN)

$(BUILD)/libfolio.a: $(LIB_OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/gen/theme_files.c: scripts/embed-theme $(THEME)
	@mkdir -p $(dir $@)
	@echo "  GEN $@"
	@scripts/embed-theme src/theme/files > $@

$(BUILD)/gen/theme_files.o: $(BUILD)/gen/theme_files.c
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_main.o: tests/test_main.c tests/test.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -c -o $@ $<

$(BUILD)/tests/%: tests/%.c tests/test.h $(BUILD)/tests/test_main.o $(BUILD)/libfolio.a
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -Itests -o $@ $< $(BUILD)/tests/test_main.o $(BUILD)/libfolio.a $(LDLIBS)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libfolio.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libfolio.a $(LDLIBS)

site: all
	@rm -rf $(BUILD)/site-out
	$(BUILD)/folio build site -o $(BUILD)/site-out

run: site
	$(BUILD)/folio serve site --port 8080 --bind 127.0.0.1

# The accessibility test needs Chromium and tests/a11y/node_modules.
test-deps: deps
	@{ command -v chromium && command -v node && test -d tests/a11y/node_modules/axe-core; } >/dev/null 2>&1 || \
	    scripts/install-deps

test: test-deps
	@$(MAKE) --no-print-directory $(BUILD)/folio $(TESTS)
	@FOLIO_BIN=$(CURDIR)/$(BUILD)/folio tests/run $(BUILD)/tests

asan: deps
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $(MAKE) --no-print-directory BUILD=build-asan \
	    OPT="-O1 -g -fno-omit-frame-pointer" SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" test

bench: all $(BENCHES)

# The harnesses in fuzz/ and the library built with libFuzzer's coverage,
# ASan and UBSan; fuzz/run runs one with its seed corpus and input limit.
fuzz:
	@scripts/install-deps --fuzz
	@$(MAKE) --no-print-directory CC=clang BUILD=build-fuzz OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" fuzz-run

fuzz-bins: $(FUZZERS:%=$(BUILD)/fuzz/%)

fuzz-run: fuzz-bins
	@for f in $(FUZZERS); do fuzz/run $(BUILD)/fuzz $$f $(FUZZ_SECONDS) || exit 1; done

$(BUILD)/fuzz/%: fuzz/%.c $(BUILD)/libfolio.a
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libfolio.a $(LDLIBS) -fsanitize=fuzzer

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
