# clientele — customer analytics from sales exports, as small Unix programs.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=

CC      ?= cc
# The suite's version, written once: the file VERSION (cli.h's CL_VERSION,
# cl-report's $version).
VERSION := $(shell cat VERSION)
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wwrite-strings -Wvla -Wpointer-arith -Wcast-qual \
           -Wno-format-nonliteral
OPT     ?= -O2 -g
CFLAGS  ?=
LDLIBS  := -lcsv -lgsl -lgslcblas -lxlsxwriter -lz -lm -lpthread

# SANITIZE=1 builds everything with ASan+UBSan into its own folder.
ifeq ($(SANITIZE),1)
O       ?= build/san
OPT     := -O1 -g -fno-omit-frame-pointer
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
else
O       ?= build/release
SANFLAGS :=
endif
ifeq ($(WERROR),1)
WARN    += -Werror
endif

ALL_CFLAGS := $(CSTD) $(WARN) $(OPT) $(SANFLAGS) -Ilib -Itools $(CFLAGS) -MMD -MP
ALL_LDFLAGS := $(SANFLAGS) $(LDFLAGS)

LIB_SRC   := $(wildcard lib/*.c)
LIB_OBJ   := $(LIB_SRC:%.c=$(O)/%.o)
TOOL_SRC  := $(wildcard tools/cl-*.c)
TOOL_BIN  := $(TOOL_SRC:tools/%.c=$(O)/bin/%)
SCRIPTS   := $(wildcard tools/cl-*.sh)
SCRIPT_BIN := $(SCRIPTS:tools/%.sh=$(O)/bin/%)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(O)/tests/replay_%)
PRELOAD_SRC := $(wildcard tests/preload/*.c)
PRELOAD_SO := $(PRELOAD_SRC:tests/preload/%.c=$(O)/tests/%.so)
FUZZ_BIN  := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_TIME ?= 60
MANPAGES  := $(wildcard docs/*.1)

.SECONDARY:

.PHONY: all check check-san check-valgrind demo bench bench-compare fuzz install uninstall clean deps check-browser
.PHONY: check-xlsx

## all: build the programs into $(O)/bin
all: deps-quiet $(TOOL_BIN) $(SCRIPT_BIN) $(UNIT_BIN) $(REPLAY_BIN) $(PRELOAD_SO)

# every program links the common options too (tools/cli_opts.c): added to
# the prerequisites ($^) of the link rule below
$(TOOL_BIN): $(O)/tools/cli_opts.o

$(O)/libclientele.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/tools/cli.o: tools/cli.c VERSION
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DCL_VERSION='"$(VERSION)"' -c -o $@ $<

$(O)/bin/%: $(O)/tools/%.o $(O)/tools/cli.o $(O)/tools/cli_xlsx.o $(O)/tools/cli_sales.o $(O)/libclientele.a
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/bin/%: tools/%.sh VERSION
	@mkdir -p $(@D)
	sed 's/@VERSION@/$(VERSION)/' $< > $@ && chmod +x $@

$(O)/tests/%: $(O)/tests/unit/%.o $(O)/libclientele.a
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# tests/unit/test_alloc_fail.c fails the library's allocations one by one:
# its link sends every call of the objects to them through it first
$(O)/tests/test_alloc_fail: ALL_LDFLAGS += -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free

$(O)/tests/replay_%: $(O)/tests/fuzz/%.o $(O)/tests/fuzz/replay.o $(O)/libclientele.a
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# the tests' LD_PRELOAD shims (tests/preload/): never sanitized, as a
# sanitizer's runtime would then be loaded before the program's own
$(O)/tests/%.so: tests/preload/%.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(OPT) $(CFLAGS) -fPIC -shared -o $@ $< -ldl

$(O)/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -Itests/fuzz -c -o $@ $<

build/fuzz/%: tests/fuzz/%.c $(LIB_SRC)
	@mkdir -p $(@D)
	clang -g -O1 $(CSTD) -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -Ilib -Itests/fuzz -o $@ $< $(LIB_SRC) $(LDLIBS)

## fuzz: run each libFuzzer target for FUZZ_TIME seconds (clang); crashes land in tests/fuzz/crashes/
fuzz: $(FUZZ_BIN)
	@for t in $(FUZZ_BIN); do \
	    name=$$(basename $$t | sed 's/^fuzz_//'); \
	    mkdir -p build/fuzz/corpus/$$name tests/fuzz/crashes/$$name; \
	    echo "fuzz: $$name for $(FUZZ_TIME) s"; \
	    $$t -max_total_time=$(FUZZ_TIME) -max_len=65536 -timeout=10 \
	        -artifact_prefix=tests/fuzz/crashes/$$name/ \
	        build/fuzz/corpus/$$name tests/fuzz/corpus/$$name 2>&1 | grep -E '^#[0-9]+ +DONE|ERROR|SUMMARY' ; \
	done

.PHONY: deps-quiet
deps-quiet:
	@sh scripts/ensure-deps

## deps: install the Debian packages the build needs (libcsv-dev libgsl-dev gnuplot-nox libxlsxwriter-dev zlib1g-dev)
deps:
	@sh scripts/ensure-deps

## check: build, then run every test (unit, command line, bad input); last line "N passed, N failed"
check: all
	@CL_BIN=$(CURDIR)/$(O)/bin CL_UNIT=$(CURDIR)/$(O)/tests sh tests/run.sh

## check-san: the same tests built with AddressSanitizer and UndefinedBehaviorSanitizer
check-san:
	$(MAKE) SANITIZE=1 check

## demo: run the monthly report on samples/ and say where it is
demo: all
	@sh scripts/demo $(CURDIR)/$(O)/bin

## bench: build the benchmark data (bench/data/) and time the programs against their peers
bench: all
	@sh bench/run.sh $(CURDIR)/$(O)/bin

## bench-compare: this build against BASE (a commit or a bin directory), pair by pair
bench-compare: all
	@test -n "$(BASE)" || { echo "make bench-compare BASE=COMMIT (or a bin directory)"; exit 2; }
	@sh bench/compare.sh $(BASE) $(CURDIR)/$(O)/bin

## install: programs into $(DESTDIR)$(BINDIR), man pages into $(DESTDIR)$(MANDIR)/man1
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(TOOL_BIN) $(SCRIPT_BIN) $(DESTDIR)$(BINDIR)
	$(if $(MANPAGES),install -m 644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1)

## uninstall: remove what install put there
uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(TOOL_BIN) $(SCRIPT_BIN)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MANPAGES)))

## check-valgrind: the same tests with every program under Valgrind memcheck (slow)
check-valgrind: all
	@sh scripts/valgrind-check $(CURDIR)/$(O)/bin $(CURDIR)/$(O)/tests

## check-browser: render the demo report in headless Chromium and check every chart drew
check-browser: demo
	@sh tests/browser.sh

## check-xlsx: the demo's report.xlsx through LibreOffice (PDF, then PNG pages to look at) and Excel's row limit
check-xlsx: demo
	@CL_BIN=$(CURDIR)/$(O)/bin sh tests/xlsx_render.sh

## clean: remove every build product
clean:
	rm -rf build demo-out tests/out

-include $(shell find $(O) -name '*.d' 2>/dev/null)
