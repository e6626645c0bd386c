# warta: make (all), check, demo, bench, install, asan, clean, format, lint, leakcheck
# Needs: a C11 compiler, pkg-config, PCRE2, cJSON, utf8proc, cmocka (tests), zlib.
# Missing Debian packages are installed on first use (see the deps target).

PREFIX     ?= /usr/local
DATADIR    ?= $(PREFIX)/share/warta
CC         ?= cc
BUILD      ?= build
OPT        ?= -O2 -g
SAN        ?=
WERROR     ?= -Werror
CFLAGS_STD  = -std=c11 -Wall -Wextra -Wpedantic -Wstrict-prototypes $(WERROR) \
              -D_POSIX_C_SOURCE=200809L -fvisibility=hidden -DWARTA_BUILDING
PKGS        = libpcre2-8 libcjson libutf8proc zlib
DEB_PKGS    = build-essential pkg-config libpcre2-dev libcjson-dev libutf8proc-dev \
              libcmocka-dev zlib1g-dev python3
# Recursive (=) so that they are read after 'deps' has installed the packages.
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)
ALL_CFLAGS  = $(CFLAGS_STD) $(OPT) $(SAN) $(PKG_CFLAGS) -DWARTA_DATADIR='"$(DATADIR)"' $(CFLAGS)

LIB_SRC   := $(filter-out src/main.c src/cli_%.c,$(wildcard src/*.c))
CLI_OBJ   := $(patsubst src/%.c,$(BUILD)/%.o,$(wildcard src/cli_*.c))
LIB_OBJ   := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
TEST_SRC  := $(wildcard tests/test_*.c)
TEST_BIN  := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BIN       := warta

.PHONY: all deps check unit e2e errors evaltests cli demo bench rule-profile install uninstall asan clean format lint \
        leakcheck corpus-update check-asan
all: deps $(BIN)

# Installs the Debian packages warta needs when pkg-config cannot find them.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || \
	    ! pkg-config --exists libpcre2-8 libcjson libutf8proc cmocka zlib 2>/dev/null; then \
	  echo "warta: some build dependencies are missing; installing Debian packages:"; \
	  echo "       $(DEB_PKGS)"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEB_PKGS) >/dev/null || \
	  { echo "warta: apt-get failed; install these packages by hand: $(DEB_PKGS)"; exit 2; }; \
	fi

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD):
	@mkdir -p $(BUILD)/tests

$(BUILD)/libwarta.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/main.o $(CLI_OBJ) $(BUILD)/libwarta.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(BUILD)/libwarta.a | $(BUILD)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libwarta.a $(CMOCKA_LIBS) $(PKG_LIBS)

# The API demo is built as a user would: the public header only, no WARTA_BUILDING.
$(BUILD)/api-demo: examples/api-demo.c src/warta.h $(BUILD)/libwarta.a
	$(CC) -std=c11 -Wall -Wextra -Wpedantic $(WERROR) $(OPT) $(SAN) -Isrc -o $@ $< \
	  $(BUILD)/libwarta.a $(PKG_LIBS)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(BUILD)/main.d

# ------------------------------------------------------------------ tests
# The tests keep their load cache (see README) in the build folder, never in
# the user's ~/.cache: the first run of each data folder fills it, the rest read it.
export WARTA_CACHE_DIR := $(CURDIR)/build/cache

check: all unit errors e2e evaltests cli
	@tests/render/run.sh
	@$(MAKE) --no-print-directory check-asan
	@$(MAKE) --no-print-directory regress e2e-valgrind
	@echo "make check: all tests passed"

unit: $(TEST_BIN) $(BUILD)/api-demo
	@./warta check
	@$(BUILD)/api-demo . > /dev/null && echo "api-demo: public header and library work"
	@$(CC) $(ALL_CFLAGS) -DWARTA_RULE_PROFILE -fsyntax-only src/rules.c && \
	  echo "rules.c: the rule-profile build compiles"

	@fail=0; for t in $(TEST_BIN); do \
	  echo "== $$t"; WARTA_DATA=. $$t || fail=1; done; exit $$fail

errors: $(BIN)
	@tests/run-errors.sh

e2e: $(BIN)
	@tests/run-corpus.sh
	@python3 tests/shared/check-kim-putin.py

# Shell end-to-end tests of the command-line tool (tests/cli/test-*.sh).
cli: $(BIN)
	@tests/run-cli.sh

evaltests: $(BIN)
	@tests/run-eval.sh

corpus-update: $(BIN)
	@UPDATE=1 tests/run-corpus.sh

# The whole suite again under ASan+UBSan, in its own build folder.
check-asan:
	@$(MAKE) --no-print-directory BUILD=build-asan BIN=build-asan/warta OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  build-asan/warta $(TEST_BIN:$(BUILD)/%=build-asan/%)
	@fail=0; for t in $(TEST_BIN:$(BUILD)/%=build-asan/%); do \
	  echo "== asan $$t"; WARTA_DATA=. ASAN_OPTIONS=detect_leaks=1 $$t || fail=1; done; \
	  WARTA=build-asan/warta tests/run-corpus.sh || fail=1; exit $$fail

asan: check-asan

leakcheck: $(BIN)
	@WARTA="valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=all ./warta" \
	  tests/run-corpus.sh

# ------------------------------------------------------------------ hardening
# Fuzz harnesses (tests/fuzz/fuzz_NAME.c), their regression inputs
# (tests/regress/NAME/) and the pathological shell tests (tests/regress/*.sh).
FUZZERS      := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_BUILD   := build-fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_FLAGS    = -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
VALGRIND      = valgrind -q --error-exitcode=9 --leak-check=full --show-leak-kinds=all \
                --errors-for-leak-kinds=definite,indirect,possible --track-fds=no
.PHONY: fuzz fuzz-build regress e2e-valgrind

# The replay mains: each harness linked with tests/fuzz/replay.c, no libFuzzer.
$(BUILD)/fuzz/replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(BUILD)/libwarta.a
	@mkdir -p $(BUILD)/fuzz
	$(CC) $(ALL_CFLAGS) -Isrc -DFUZZ_DATADIR='"$(CURDIR)"' -o $@ $< tests/fuzz/replay.c \
	  $(BUILD)/libwarta.a $(PKG_LIBS)

# Every input that once crashed or hung a harness, replayed under ASan+UBSan,
# then the pathological shell tests.
regress: $(BIN)
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  $(FUZZERS:%=build-asan/fuzz/replay-%)
	@fail=0; for f in $(FUZZERS); do \
	  if [ -d tests/regress/$$f ]; then WARTA_DATA=. build-asan/fuzz/replay-$$f tests/regress/$$f || fail=1; fi; \
	  WARTA_DATA=. build-asan/fuzz/replay-$$f tests/fuzz/corpus/$$f || fail=1; done; \
	  for t in tests/regress/*.sh; do [ -f "$$t" ] || continue; echo "== $$t"; \
	    WARTA=./warta sh $$t || fail=1; done; exit $$fail

# The end-to-end tests once under valgrind: any error or leak fails.
e2e-valgrind: $(BIN)
	@rm -rf $(BUILD)/valgrind && mkdir -p $(BUILD)/valgrind
	@WARTA_CACHE_DIR=$(CURDIR)/$(BUILD)/valgrind/cache \
	  WARTA="$(VALGRIND) --log-file=$(BUILD)/valgrind/%p.log ./warta" tests/run-corpus.sh
	@bad=$$(find $(BUILD)/valgrind -name '*.log' -size +0c); \
	  if [ -n "$$bad" ]; then cat $$bad; echo "valgrind: errors or leaks (above)"; exit 1; fi; \
	  echo "valgrind: e2e clean ($$(find $(BUILD)/valgrind -name "*.log" | wc -l) runs)"

# libFuzzer builds: the library with clang and coverage, one binary per harness.
fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) OPT="-O1 -g" WERROR= \
	  SAN="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" $(FUZZ_BUILD)/libwarta.a
	@for f in $(FUZZERS); do \
	  $(FUZZ_CC) $(CFLAGS_STD) -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) $(PKG_CFLAGS) -Isrc \
	    -DFUZZ_DATADIR='"$(CURDIR)"' -o $(FUZZ_BUILD)/fuzz_$$f tests/fuzz/fuzz_$$f.c \
	    $(FUZZ_BUILD)/libwarta.a $(PKG_LIBS) || exit 1; done

# make fuzz FUZZ_SECONDS=N: each harness for N seconds, one after the other,
# from its seeds (tests/fuzz/corpus/NAME) and what earlier runs found
# ($(FUZZ_BUILD)/corpus/NAME). A crash stops the run; the input is in
# $(FUZZ_BUILD)/artifacts/: copy it into tests/regress/NAME/ with the fix.
fuzz: fuzz-build
	@mkdir -p $(FUZZ_BUILD)/artifacts
	@for f in $(FUZZERS); do mkdir -p $(FUZZ_BUILD)/corpus/$$f; \
	  dict=; [ -f tests/fuzz/$$f.dict ] && dict=-dict=tests/fuzz/$$f.dict; \
	  echo "== fuzz_$$f for $(FUZZ_SECONDS)s"; \
	  WARTA_DATA=. $(FUZZ_BUILD)/fuzz_$$f $(FUZZ_FLAGS) $$dict \
	    -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$f- \
	    $(FUZZ_BUILD)/corpus/$$f tests/fuzz/corpus/$$f 2>$(FUZZ_BUILD)/fuzz_$$f.log || \
	    { tail -60 $(FUZZ_BUILD)/fuzz_$$f.log; exit 1; }; \
	  grep -E '^stat::number_of_executed_units|^Done' $(FUZZ_BUILD)/fuzz_$$f.log | tail -2; done

# ------------------------------------------------------------------ demo
demo: all
	@echo "== ./warta extract examples/sample-republika.txt --date 2026-01-10"
	@./warta extract examples/sample-republika.txt --date 2026-01-10 | \
	  (command -v python3 >/dev/null && python3 -m json.tool --no-ensure-ascii || cat)

bench: all
	@tests/bench.sh

# Instructions per rule per pass (callgrind): a build that runs each rule
# through a function of its own (build-prof/), over a slice of the corpus.
rule-profile:
	@$(MAKE) --no-print-directory -s BUILD=build-prof BIN=build-prof/warta \
	  OPT="-O2 -g -DWARTA_RULE_PROFILE" build-prof/warta
	@tests/rule-profile.sh build-prof/warta

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(DATADIR)/gazetteers
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/warta
	install -m 644 $(BUILD)/libwarta.a $(DESTDIR)$(PREFIX)/lib/libwarta.a
	install -m 644 src/warta.h $(DESTDIR)$(PREFIX)/include/warta.h
	install -m 644 rules/*.rules rules/README.md $(DESTDIR)$(DATADIR)/rules/
	install -m 644 gazetteers/*.tsv $(DESTDIR)$(DATADIR)/gazetteers/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/warta $(DESTDIR)$(PREFIX)/lib/libwarta.a \
	  $(DESTDIR)$(PREFIX)/include/warta.h
	rm -rf $(DESTDIR)$(DATADIR)

format:
	clang-format -i src/*.c src/*.h tests/*.c tests/*.h

lint:
	clang-tidy --quiet --warnings-as-errors='*' src/*.c -- $(CFLAGS_STD) $(PKG_CFLAGS)

clean:
	rm -rf build build-asan build-release build-fuzz build-prof $(BIN) bench.json
