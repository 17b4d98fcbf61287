# Every Go command runs with the same build tags and the same profile for
# profile-guided optimisation (cmd/marquee/default.pgo, made by make pgo),
# so the slow cgo build of SQLite (with FTS5 compiled in) happens once and
# is shared by build, test, vet and lint.
export GOFLAGS := -tags=sqlite_fts5 -pgo=$(CURDIR)/cmd/marquee/default.pgo

BIN := bin/marquee

.PHONY: run build test test-tools generate lint check-generated bench pgo load screenshots clean fuzz vulncheck soak

## run: build and serve the site on data/marquee.db (created, migrated and seeded on first start)
run: build
	./$(BIN) serve

## build: build bin/marquee with the stylesheet, migrations and seeds embedded
build:
	go build -o $(BIN) ./cmd/marquee

## test: install the test tools, vet, then run every test with the race detector and count them
# gotestsum prints a line per package, the output of each failing test, and
# a closing "DONE n tests, m skipped, k failures" line; it exits non-zero
# when a test fails.
test: test-tools
	go vet ./...
	go tool gotestsum --format pkgname-and-test-fails --format-hide-empty-pkg -- -race ./...

## test-tools: install what the tests need (Chromium and PostgreSQL from Debian, the npm checkers into a cache)
test-tools:
	@bash .ci/install-test-tools

## generate: regenerate the templ components (*_templ.go)
generate:
	go tool templ generate

## lint: gofmt, go vet and staticcheck
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' | grep -v '_templ.go$$')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	go tool staticcheck ./...

## check-generated: fail when the committed templ output is stale
check-generated: generate
	@git diff --exit-code -- '*_templ.go' || { echo "generated templ files are stale: run make generate and commit"; exit 1; }
	@untracked=$$(git ls-files --others --exclude-standard -- '*_templ.go'); \
	if [ -n "$$untracked" ]; then echo "generated files not committed: $$untracked"; exit 1; fi

## fuzz: run each fuzz target for FUZZTIME (default 10s): the Markdown renderer, the catalogue record codec, and the review, rating and search forms
# Go fuzzes one target per run; each run's seed corpus also runs as
# ordinary tests in make test. A failing input is written under the
# package's testdata/fuzz, to be committed with its fix.
FUZZTIME ?= 10s
FUZZ_TARGETS := internal/markdown:FuzzRender internal/catalog:FuzzDecodeFields \
	internal/web:FuzzReviewForm internal/web:FuzzRatingForm internal/web:FuzzSearchQuery internal/web:FuzzHitRequest
fuzz:
	@for target in $(FUZZ_TARGETS); do \
		pkg=$${target%%:*}; name=$${target#*:}; \
		echo "fuzz $$name ($$pkg) for $(FUZZTIME)"; \
		go test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) ./$$pkg || exit 1; \
	done

## vulncheck: govulncheck, pinned; skipped with a message where its database cannot be reached
vulncheck:
	@bash .ci/govulncheck

## soak: the soak test, a few minutes of steady reading, rating, voting and reviewing against the real server (MARQUEE_SOAK_DURATION, 3m by default)
soak:
	MARQUEE_SOAK=1 go test -run '^TestSoak$$' -count=1 -v -timeout 30m ./cmd/marquee

## bench: run the Go benchmarks
bench:
	go test -run '^$$' -bench . -benchmem ./...

## pgo: profile the export, the page handlers, the hit server and the share cards into cmd/marquee/default.pgo
# Go's profile-guided optimisation builds every package with that profile
# (GOFLAGS above): it inlines and devirtualises the calls the profile shows
# hot. Run it again after a large change to the hot paths, and commit the
# profile (about 100 kB).
pgo:
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	MARQUEE_BENCH_EXPORT_FILMS=1000 go test -run '^$$' -bench '^BenchmarkExport$$' -benchtime 2x \
		-o "$$dir/export.test" -cpuprofile "$$dir/export.prof" ./internal/export && \
	go test -run '^$$' -bench '^Benchmark(FilmPage|HomePage|PersonPage|ReaderReviewsPage|Hit)$$' \
		-o "$$dir/web.test" -cpuprofile "$$dir/web.prof" ./internal/web && \
	go test -run '^$$' -bench '^BenchmarkDraw$$' -o "$$dir/card.test" -cpuprofile "$$dir/card.prof" ./internal/sharecard && \
	go tool pprof -proto "$$dir/export.prof" "$$dir/web.prof" "$$dir/card.prof" > cmd/marquee/default.pgo.new && \
	mv cmd/marquee/default.pgo.new cmd/marquee/default.pgo && ls -l cmd/marquee/default.pgo

## load: the load benchmark (several minutes; MARQUEE_LOAD_FILMS=20000 for a smaller catalogue)
# It needs wrk, nginx and hugo: installed with apt-get when missing and run
# as root, otherwise it prints the command. The catalogue is generated once
# into $XDG_CACHE_HOME/marquee-load (or ~/.cache/marquee-load).
load: build
	@missing=""; \
	for tool in wrk nginx hugo; do \
		command -v $$tool >/dev/null 2>&1 || [ -x /usr/sbin/$$tool ] || missing="$$missing $$tool"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing$$missing"; \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q$$missing || exit 1; \
		else \
			echo "the load benchmark needs$$missing; install with: sudo apt-get install -y$$missing"; exit 1; \
		fi; \
	fi
	MARQUEE_LOAD=1 go test -run TestLoad -timeout 90m -v -count=1 ./internal/loadbench

## clean: remove build outputs
clean:
	rm -rf bin

## screenshots: photograph home, film, person and review pages at 375 px and 1280 px into screenshots/ (git ignores it)
screenshots: test-tools
	MARQUEE_SCREENSHOTS=$(CURDIR)/screenshots go test -run '^TestScreenshots$$' -count=1 -v ./cmd/marquee
