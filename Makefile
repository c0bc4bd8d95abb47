# ducha — two commands for a newcomer:
#   make run    runs ducha on ./ducha.db (SQLite), printing the first admin's password
#   make test   passes every test, PostgreSQL and browser tests included
GO      ?= go
ADDR    ?= :8080
DB      ?= ./ducha.db
PKGS    ?= ./...

.PHONY: run build test deps test-deps vet bench fuzz clean frontend

run: build
	./ducha serve --db $(DB) --addr $(ADDR)

build: frontend
	$(GO) build -o ducha ./cmd/ducha

# frontend builds the page scripts (htmx, ECharts) from http/ui/frontend's
# package.json and lockfile with npm and esbuild into http/ui/frontend/dist,
# which the binary embeds; only when those files changed (the stamp).
FRONTEND     := http/ui/frontend
FRONTEND_SRC := $(FRONTEND)/package.json $(FRONTEND)/package-lock.json $(FRONTEND)/build.mjs $(wildcard $(FRONTEND)/src/*)
frontend: $(FRONTEND)/.built
$(FRONTEND)/.built: $(FRONTEND_SRC)
	@command -v npm >/dev/null 2>&1 || ./.ci/deps
	cd $(FRONTEND) && npm ci --no-audit --no-fund && npm run build
	@touch $@

# test-deps installs what the PostgreSQL and browser tests need when it is
# missing and this machine can install it (root with apt-get); elsewhere those
# tests skip with a loud message unless DUCHA_REQUIRE_PG / DUCHA_REQUIRE_BROWSER
# are set, as CI sets them.
test-deps:
	@./.ci/deps

test: test-deps frontend
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 15m $(PKGS)
	$(MAKE) fuzz

# fuzz runs each file reader's fuzz target for FUZZTIME (go test fuzzes one
# target per run); a crasher lands in sheets/testdata/fuzz, to be fixed and
# kept as a regression seed. The limits are counts, not durations: with a
# duration, Go 1.26's fuzz coordinator can fail a target with a bare
# "context deadline exceeded" and no crasher when the time runs out while
# a worker is busy (golang/go#75804, fixed in Go 1.27; seen here on
# FuzzReadCases under a loaded CI run).
FUZZTIME ?= 400x
FUZZMINIMIZE ?= 100x
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzReadLedger$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./sheets
	$(GO) test -run '^$$' -fuzz '^FuzzReadCases$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./sheets
	$(GO) test -run '^$$' -fuzz '^FuzzReadUnits$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./sheets
	$(GO) test -run '^$$' -fuzz '^FuzzReadDuties$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./sheets

bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x $(PKGS)

clean:
	rm -f ducha $(FRONTEND)/.built
	find $(FRONTEND)/dist -type f ! -name .keep -delete
