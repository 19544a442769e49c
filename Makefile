# cloudsim — one plain GNU Makefile.  `make run` serves, `make check` tests.
# Dependencies come from pkg-config; every executable links build/libcore.a.

PREFIX	?= /usr/local
DESTDIR	?=
CC	?= cc
PKGS	 = jansson libxml-2.0 libpq libcurl libcrypto libargon2 uuid
SERVICES = auth instances vpcs volumes blockchains ec2

GIT_SHA := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
VERSION := 1.0.0

CFLAGS	?= -O2 -g
CFLAGS	+= -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wmissing-prototypes \
	   -Wstrict-prototypes -Wshadow -Wno-missing-field-initializers \
	   -fno-strict-aliasing \
	   $(shell pkg-config --cflags $(PKGS)) \
	   -DCLOUDSIM_VERSION='"$(VERSION)"' -DCLOUDSIM_BUILD='"$(GIT_SHA)"' \
	   -Isrc
LDLIBS	+= $(shell pkg-config --libs $(PKGS)) -lfcgi -lm

# SANITIZE=1 builds everything with AddressSanitizer (with LeakSanitizer)
# and UndefinedBehaviorSanitizer into a separate tree, so the two builds
# never mix objects.
ifeq ($(SANITIZE),1)
BUILD	?= build/asan
CGIDIR	 = $(BUILD)/cgi-bin
BINDIR	 = $(BUILD)/bin
CFLAGS	+= -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
LDFLAGS	+= -fsanitize=address,undefined
else
BUILD	?= build/release
CGIDIR	 = cgi-bin
BINDIR	 = bin
endif

# Sources, one line per folder: a folder's files are its module.
CORE_SRC	:= $(wildcard src/core/*.c)
TOOLS		 = cloudsim-migrate cloudsim-admin
mod_src		 = $(filter-out src/$(1)/main.c,$(wildcard src/$(1)/*.c))

obj		 = $(patsubst src/%.c,$(BUILD)/%.o,$(1))
CORE_OBJ	:= $(call obj,$(CORE_SRC))
LIBCORE		 = $(BUILD)/libcore.a
MODLIBS		 = $(foreach s,$(SERVICES),$(BUILD)/lib$(s).a)

CGI		 = $(foreach s,$(SERVICES),$(CGIDIR)/$(s).fcgi)
BINS		 = $(foreach t,$(TOOLS),$(BINDIR)/$(t))
UNIT_SRC	:= $(wildcard tests/unit/*.c)
UNIT_T		 = $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%.t,$(UNIT_SRC))
HTTP_SRC	:= $(wildcard tests/http/*.c)
HTTP_LIB_SRC	:= $(wildcard tests/http/lib/*.c)
HTTP_T		 = $(patsubst tests/http/%.c,$(BUILD)/tests/http/%.t,$(HTTP_SRC))

all: $(CGI) $(BINS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIBCORE): $(CORE_OBJ)
	@rm -f $@ && ar rcs $@ $^

define service_rules
$(BUILD)/lib$(1).a: $(call obj,$(call mod_src,$(1)))
	@mkdir -p $$(@D)
	@rm -f $$@ && ar rcs $$@ $$^ && ([ -n "$$^" ] || ar rcs $$@)
$(CGIDIR)/$(1).fcgi: $(BUILD)/$(1)/main.o $(MODLIBS) $(LIBCORE)
	@mkdir -p $$(@D)
	@echo "  LD      $$@"
	@$$(CC) $$(LDFLAGS) -o $$@ $$< $(MODLIBS) $(MODLIBS) $(LIBCORE) $$(LDLIBS)
endef
$(foreach s,$(SERVICES),$(eval $(call service_rules,$(s))))

$(BINDIR)/%: $(BUILD)/tools/%.o $(MODLIBS) $(LIBCORE)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $< $(MODLIBS) $(MODLIBS) $(LIBCORE) $(LDLIBS)

$(BUILD)/tests/unit/%.t: tests/unit/%.c tests/unit/tap.h $(MODLIBS) $(LIBCORE)
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(MODLIBS) $(MODLIBS) $(LIBCORE) $(LDLIBS)

$(BUILD)/tests/http/%.t: tests/http/%.c $(HTTP_LIB_SRC) $(wildcard tests/http/lib/*.h) tests/unit/tap.h
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS) -Wno-format-truncation -Itests/unit -Itests/http/lib $(LDFLAGS) -o $@ $< $(HTTP_LIB_SRC) $(LDLIBS)

unit: $(UNIT_T)
	prove -f $(UNIT_T)

tests: $(UNIT_T) $(HTTP_T)

-include $(shell find build -name '*.d' 2>/dev/null)

.PHONY: all unit tests

# --- running, testing, installing -------------------------------------

deps:
	@scripts/deps.sh run

run: deps all
	@scripts/run.sh

migrate: all
	bin/cloudsim-migrate -d sql

# make admin EMAIL=you@example.com [NAME="Your Name"]: a site administrator
# on the running service's database (password printed once, or taken
# from CLOUDSIM_ADMIN_PASSWORD).
admin: all
	@test -n "$(EMAIL)" || { echo "usage: make admin EMAIL=… [NAME=…]"; exit 2; }
	bin/cloudsim-admin create-admin "$(EMAIL)" "$(or $(NAME),Administrator)"

check:
	@scripts/deps.sh check
	@$(MAKE) --no-print-directory all tests
	@scripts/check.sh $(BUILD) $(CGIDIR) $(BINDIR)

# A psql session on the running service's private cluster: as the
# cluster owner (make psql) or as the read-only admin role.
psql:
	@. scripts/common.sh && psql_owner "$${DATA_DIRECTORY:-$$PWD/var}/run" cloudsim

psql-readonly:
	@. scripts/common.sh && as_svc psql -X -h "$${DATA_DIRECTORY:-$$PWD/var}/run" -p 5432 -U cloudsim_readonly -d cloudsim

# make bench: cloudsim, moto_server and the machine's floors side by side
# (bench/README.md); writes bench/results/<date>.md.
bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all
	@bench/run.sh

clean:
	rm -rf build cgi-bin/*.fcgi bin

install: all
	install -d $(DESTDIR)$(PREFIX)/lib/cloudsim/cgi-bin $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PREFIX)/share/cloudsim/sql $(DESTDIR)$(PREFIX)/share/cloudsim/etc
	install -m 755 $(CGI) $(DESTDIR)$(PREFIX)/lib/cloudsim/cgi-bin/
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 sql/*.sql $(DESTDIR)$(PREFIX)/share/cloudsim/sql/
	install -m 644 etc/cloudsim.conf etc/lighttpd.conf httpd-example.conf \
	    $(DESTDIR)$(PREFIX)/share/cloudsim/etc/

.PHONY: deps run migrate admin psql psql-readonly check bench clean install
