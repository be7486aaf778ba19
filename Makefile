# myotrack build. One engine (src/lib) behind include/myotrack.h; the front ends
# (src/cli, src/server) use it and the store (src/store) through src/auth.
#
#   make                      library (static + shared), the myotrack binary, myotrack.pc
#   make check                build and run every test suite (tests/run)
#   make SANITIZE=1 check     the same under ASan+UBSan (objects go to build-san/)
#   make bench                build and run the benchmarks
#   make fuzz                 libFuzzer targets (needs clang)
#   make install PREFIX=/usr/local DESTDIR=
#
# Sources are picked up by wildcard: a new file in src/lib/<area>/ or a new
# tests/unit/test_*.c needs no edit here.

VERSION   := 0.1.0
SOVERSION := 0
PREFIX    ?= /usr/local
DESTDIR   ?=
LIBDIR    ?= $(PREFIX)/lib
INCDIR    ?= $(PREFIX)/include
BINDIR    ?= $(PREFIX)/bin
PCDIR     ?= $(LIBDIR)/pkgconfig
MANDIR    ?= $(PREFIX)/share/man

CC        ?= cc
PKG_CONFIG ?= pkg-config
# The library reads JSON with yajl (streaming, thread-safe, no tree built);
# the tests read the engine's output back with jansson, an independent parser.
YAJL_CFLAGS    := $(shell $(PKG_CONFIG) --cflags yajl 2>/dev/null)
YAJL_LIBS      := $(shell $(PKG_CONFIG) --libs yajl 2>/dev/null || echo -lyajl)
JANSSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
JANSSON_LIBS   := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null || echo -ljansson)
CMOCKA_LIBS    := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
# The application around the engine: SQLite (the store), libsodium (argon2id
# passwords, session tokens), libmicrohttpd (the web server), jansson (small
# request bodies) and zstd (stored results, compressed). The engine library itself depends on none of them.
# libmicrohttpd is not linked: src/server/http.c loads it (dlopen) when
# `serve` starts, so the other commands do not load it and GnuTLS behind it.
APP_PKGS       := sqlite3 libsodium jansson libzstd
# dlopen: in libc since glibc 2.34, in libdl before (and on other systems)
DL_LIBS        := $(shell printf '\043include <dlfcn.h>\nint main(void){return !dlopen;}\n' | \
                    $(CC) -x c - -o /dev/null 2>/dev/null || echo -ldl)
APP_CFLAGS     := $(shell $(PKG_CONFIG) --cflags $(APP_PKGS) libmicrohttpd 2>/dev/null)
APP_LIBS       := $(shell $(PKG_CONFIG) --libs $(APP_PKGS) 2>/dev/null || \
                    echo -lsqlite3 -lsodium -ljansson -lzstd) $(DL_LIBS) -pthread

WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wformat=2 -Wvla -Wpointer-arith
CSTD      := -std=c11 -D_POSIX_C_SOURCE=200809L
OPT       ?= -O2 -g
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) -fPIC -fvisibility=hidden -Iinclude -Isrc/lib \
             $(YAJL_CFLAGS) -DMT_VERSION=\"$(VERSION)\" $(CFLAGS)
LDLIBS_ALL = $(YAJL_LIBS) -lm $(LDLIBS)

ifeq ($(SANITIZE),1)
BUILD     ?= build-san
OPT       := -O1 -g -fno-omit-frame-pointer
CFLAGS_ALL += -fsanitize=address,undefined -fno-sanitize-recover=all -DMT_CHECK_LITERALS
LDFLAGS   += -fsanitize=address,undefined
else
BUILD     ?= build
# The binary is optimised across its files at the link (the row loop's calls
# between the reader, the columns, the engine and the tally: ~2% fewer
# instructions a row, bench/README eleventh round). The objects keep their
# machine code too (fat), so the libraries, the tests and the benchmarks link
# them as usual ($(NO_LTO): GCC's linker plugin would otherwise optimise any
# link of them; the installed archive has the LTO sections taken out). LTO=
# turns it off.
LTO       ?= -flto=auto -ffat-lto-objects
endif
OBJCOPY   ?= objcopy
NO_LTO    = $(if $(LTO),-fno-lto)

LIB_SRC   := $(sort $(wildcard src/lib/*.c src/lib/*/*.c))
CLI_SRC   := $(sort $(wildcard src/cli/*.c))
APP_SRC   := $(sort $(wildcard src/store/*.c src/auth/*.c src/server/*.c src/screen/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
# web/ is compiled into the binary (one file of byte arrays), so the server
# needs nothing beside it.
WEB_FILES := $(sort $(wildcard web/*.html web/*.css web/*.js web/*.svg))
WEB_OBJ   := $(BUILD)/gen/web_assets.o
APP_OBJ   := $(APP_SRC:%.c=$(BUILD)/%.o) $(WEB_OBJ)
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_BIN  := $(UNIT_BIN) $(BUILD)/tests/case_runner $(BUILD)/tests/fuzz_corpus \
             $(BUILD)/tests/example $(BUILD)/tools/gen_cohort
BENCH_BIN := $(BUILD)/bench/bench_engine

STATIC    := $(BUILD)/libmyotrack.a
SHARED    := $(BUILD)/libmyotrack.so.$(VERSION)
BIN       := $(BUILD)/myotrack
PC        := $(BUILD)/myotrack.pc

.PHONY: all check test bench fuzz install uninstall clean format rules-doc
all: $(STATIC) $(SHARED) $(BIN) $(PC)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LTO) -MMD -MP -c $< -o $@

$(BUILD)/src/store/%.o $(BUILD)/src/auth/%.o $(BUILD)/src/server/%.o $(BUILD)/src/screen/%.o \
    $(BUILD)/src/cli/%.o: \
    CFLAGS_ALL += $(APP_CFLAGS) -Isrc

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $<

# A seeded synthetic cohort CSV for `myotrack screen` (tests, bench/screen).
$(BUILD)/tools/gen_cohort: tools/gen_cohort.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $<

$(BUILD)/gen/web_assets.c: $(WEB_FILES) $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $(WEB_FILES) > $@.tmp && mv $@.tmp $@

$(WEB_OBJ): $(BUILD)/gen/web_assets.c
	$(CC) $(CFLAGS_ALL) $(LTO) -Isrc -c $< -o $@

# The archive without the objects' LTO sections: a program linking it gets
# their machine code, as from any library (GCC's plugin would otherwise
# optimise the program's link from them, with its own flags and GCC's own
# version of the format).
$(STATIC): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
	$(if $(LTO),$(OBJCOPY) --wildcard -R '.gnu.lto_*' -R '.gnu.debuglto_*' $@)

$(SHARED): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libmyotrack.so.$(SOVERSION) $(LDFLAGS) $(NO_LTO) -o $@ $^ \
	    $(LDLIBS_ALL)
	ln -sf libmyotrack.so.$(VERSION) $(BUILD)/libmyotrack.so.$(SOVERSION)
	ln -sf libmyotrack.so.$(VERSION) $(BUILD)/libmyotrack.so

# The binary from the objects themselves, so that the link optimises across
# the engine's files too (the archive has no LTO sections).
$(BIN): $(CLI_OBJ) $(APP_OBJ) $(LIB_OBJ)
	$(CC) $(LDFLAGS) $(if $(LTO),-flto=auto $(OPT)) -o $@ $(CLI_OBJ) $(APP_OBJ) $(LIB_OBJ) \
	    $(LDLIBS_ALL) $(APP_LIBS)

$(PC): myotrack.pc.in Makefile
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCDIR@|$(INCDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' $< > $@

# --- tests -----------------------------------------------------------------
TEST_CFLAGS = $(CFLAGS_ALL) $(NO_LTO) $(JANSSON_CFLAGS) $(APP_CFLAGS) -Wno-missing-prototypes \
              -Itests -Isrc
TEST_LIBS   = $(CMOCKA_LIBS) $(JANSSON_LIBS) $(LDLIBS_ALL) $(APP_LIBS)

# Unit suites link the engine and the application layer (the store's suites
# use a real SQLite file).
$(BUILD)/tests/test_%: tests/unit/test_%.c tests/unit/*.h $(STATIC) $(APP_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -pthread -o $@ $< $(APP_OBJ) $(STATIC) $(TEST_LIBS)

$(BUILD)/tests/case_runner: tests/case_runner.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(TEST_LIBS)

$(BUILD)/tests/fuzz_corpus: tests/fuzz/corpus_main.c tests/fuzz/fuzz_document.c tests/fuzz/fuzz_units.c \
    tests/fuzz/fuzz_tracking.c tests/fuzz/fuzz_csv.c tests/fuzz/fuzz_columns.c tests/fuzz/fuzz_row.h $(BUILD)/src/screen/csv.o $(BUILD)/src/screen/columns.o \
    $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -o $@ tests/fuzz/corpus_main.c $(BUILD)/src/screen/csv.o \
	    $(BUILD)/src/screen/columns.o $(STATIC) $(TEST_LIBS)

# The documented example program, compiled exactly as a user would: against
# the public header and the shared library only.
$(BUILD)/tests/example: docs/example.c include/myotrack.h $(SHARED)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(OPT) $(filter -fsanitize%,$(CFLAGS_ALL)) -Iinclude $(LDFLAGS) -o $@ $< \
	    -L$(BUILD) -Wl,-rpath,'$$ORIGIN/..' -lmyotrack

check test: all $(TEST_BIN)
	BUILD=$(BUILD) tests/run

# --- benchmarks and fuzzing ------------------------------------------------
$(BUILD)/bench/%: bench/%.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(NO_LTO) $(LDFLAGS) -o $@ $< $(STATIC) $(LDLIBS_ALL)

bench: all $(BENCH_BIN)
	BUILD=$(BUILD) bench/run

FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -Iinclude -Isrc/lib $(YAJL_CFLAGS) $(JANSSON_CFLAGS) \
              -DMT_VERSION=\"$(VERSION)\" -fsanitize=fuzzer,address,undefined
fuzz:
	@mkdir -p build-fuzz
	clang $(FUZZ_CFLAGS) -o build-fuzz/fuzz_document tests/fuzz/fuzz_document.c $(LIB_SRC) $(YAJL_LIBS) $(JANSSON_LIBS) -lm
	clang $(FUZZ_CFLAGS) -o build-fuzz/fuzz_units tests/fuzz/fuzz_units.c $(LIB_SRC) $(YAJL_LIBS) -lm
	clang $(FUZZ_CFLAGS) -o build-fuzz/fuzz_tracking tests/fuzz/fuzz_tracking.c $(LIB_SRC) $(YAJL_LIBS) $(JANSSON_LIBS) -lm
	clang $(FUZZ_CFLAGS) -Isrc -o build-fuzz/fuzz_csv tests/fuzz/fuzz_csv.c src/screen/csv.c src/screen/columns.c $(LIB_SRC) $(YAJL_LIBS) $(JANSSON_LIBS) -lm
	clang $(FUZZ_CFLAGS) -Isrc -o build-fuzz/fuzz_columns tests/fuzz/fuzz_columns.c src/screen/csv.c src/screen/columns.c $(LIB_SRC) $(YAJL_LIBS) $(JANSSON_LIBS) -lm

# --- install ---------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) $(DESTDIR)$(PCDIR) \
	    $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/myotrack
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/libmyotrack.a
	install -m 755 $(SHARED) $(DESTDIR)$(LIBDIR)/libmyotrack.so.$(VERSION)
	ln -sf libmyotrack.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libmyotrack.so.$(SOVERSION)
	ln -sf libmyotrack.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libmyotrack.so
	install -m 644 include/myotrack.h $(DESTDIR)$(INCDIR)/myotrack.h
	install -m 644 $(PC) $(DESTDIR)$(PCDIR)/myotrack.pc
	install -m 644 docs/myotrack.1 $(DESTDIR)$(MANDIR)/man1/myotrack.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/myotrack $(DESTDIR)$(LIBDIR)/libmyotrack.* \
	    $(DESTDIR)$(INCDIR)/myotrack.h $(DESTDIR)$(PCDIR)/myotrack.pc \
	    $(DESTDIR)$(MANDIR)/man1/myotrack.1

# docs/rules.md embeds `myotrack rules`; tests/run checks they agree.
rules-doc: $(BIN)
	{ sed -n '1,/<!-- rules:begin -->/p' docs/rules.md; echo '```'; $(BIN) rules; \
	  sed -n '/<!-- rules:end -->/,$$p' docs/rules.md | sed '1i ```'; } > docs/rules.md.new
	mv docs/rules.md.new docs/rules.md

format:
	clang-format -i include/*.h src/*/*.c src/*/*.h src/*/*/*.c src/lib/*/*.h tests/*.c tests/*/*.c bench/*.c docs/*.c

clean:
	rm -rf build build-san build-fuzz

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(APP_SRC:%.c=$(BUILD)/%.d)
