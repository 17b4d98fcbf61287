package loadbench

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The targets the benchmark reports against.
const (
	targetVsGo         = 0.90 // warm film page, Marquee ÷ the minimal Go server
	targetVsNginx      = 0.55 // warm film page, Marquee ÷ nginx
	targetWritesVsGo   = 0.50 // film page while ratings are written, ÷ the Go server
	targetFreshScale   = 0.80 // fresh render at full scale ÷ fresh render of the seeded site
	targetP99          = 20 * time.Millisecond
	targetPeakRSS      = 200 << 20
	targetStartup      = time.Second
	targetExportPerSec = 5000
	fullScaleFilms     = 100000
	defaultExportFilms = 2000
	writeInterval      = 100 * time.Millisecond
	threads, conns     = 2, 64
	warmup             = time.Second
	pageCacheMB        = 64
	seededFilm         = "paris-2008"
	startupLimit       = 5 * time.Minute
	exportLimit        = 30 * time.Minute
)

// TestLoad is the load benchmark (see the package documentation). It runs
// only with MARQUEE_LOAD=1, as "make load" sets it.
func TestLoad(t *testing.T) {
	if os.Getenv("MARQUEE_LOAD") != "1" {
		t.Skip("the load benchmark runs with make load (MARQUEE_LOAD=1)")
	}
	h := newHarness(t)
	defer h.printTable()
	h.describe()
	if h.cfg.exportOnly {
		h.exportPhase()
		return
	}
	full, seeded := h.prepare()
	h.cachedPhase(full, seeded)
	h.freshPhase(full, seeded)
	// The export runs before the PostgreSQL phase, whose cluster is
	// deleted when it ends: see filesDir.
	h.exportPhase()
	h.postgresPhase(full)
}

// config is what the environment and the machine give the run.
type config struct {
	root, bin, cacheDir string
	films, exportFilms  int
	duration            time.Duration
	rounds              int
	wrk, nginx, hugo    string
	hasCacheFlag        bool
	hasExport           bool
	// exportOnly runs the export comparison alone.
	exportOnly bool
	// filesDir is where the export and Hugo write their pages (see
	// chooseFilesDir).
	filesDir string
}

type harness struct {
	t    *testing.T
	ctx  context.Context
	cfg  config
	work string
	rows []row
	// nextAddr is the next loopback source address a writer uses, so
	// no two writes of a run share one.
	nextAddr int
	facts    catalogueFacts
}

// row is a line of the closing table.
type row struct{ figure, value, target, result string }

func newHarness(t *testing.T) *harness {
	h := &harness{t: t, ctx: context.Background()}
	c := &h.cfg
	var err error
	if c.root, err = moduleRoot(); err != nil {
		t.Fatal(err)
	}
	c.bin = os.Getenv("MARQUEE_LOAD_BIN")
	if c.bin == "" {
		c.bin = filepath.Join(c.root, "bin", "marquee")
	}
	if _, err := os.Stat(c.bin); err != nil {
		t.Fatalf("no marquee binary at %s: make load builds it first (%v)", c.bin, err)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	c.cacheDir = filepath.Join(base, "marquee-load")
	c.films = envInt(t, "MARQUEE_LOAD_FILMS", fullScaleFilms)
	c.exportFilms = envInt(t, "MARQUEE_LOAD_EXPORT_FILMS", defaultExportFilms)
	c.duration = time.Duration(envInt(t, "MARQUEE_LOAD_SECONDS", 5)) * time.Second
	c.rounds = envInt(t, "MARQUEE_LOAD_ROUNDS", 3)
	c.exportOnly = os.Getenv("MARQUEE_LOAD_ONLY") == "export"
	if v := os.Getenv("MARQUEE_LOAD_ONLY"); v != "" && v != "export" {
		t.Fatalf("MARQUEE_LOAD_ONLY=%q: the one phase that runs alone is export", v)
	}
	var missing []string
	for _, tool := range []struct {
		dst  *string
		name string
	}{{&c.wrk, "wrk"}, {&c.nginx, "nginx"}, {&c.hugo, "hugo"}} {
		if *tool.dst = lookTool(tool.name); *tool.dst == "" {
			missing = append(missing, tool.name)
		}
	}
	if c.wrk == "" || c.nginx == "" {
		t.Fatalf("the load benchmark needs wrk and nginx (and hugo for the export comparison): sudo apt-get install %s", strings.Join(missing, " "))
	}
	serveHelp, _ := exec.Command(c.bin, "serve", "-h").CombinedOutput()
	c.hasCacheFlag = strings.Contains(string(serveHelp), "-page-cache-mb")
	exportHelp, _ := exec.Command(c.bin, "export", "-h").CombinedOutput()
	c.hasExport = strings.Contains(string(exportHelp), "-out")

	h.work, err = os.MkdirTemp("", "marquee-load-")
	if err != nil {
		t.Fatal(err)
	}
	// nginx's workers may run as another user: they must reach the files.
	os.Chmod(h.work, 0o755)
	t.Cleanup(func() { os.RemoveAll(h.work) })
	c.filesDir = chooseFilesDir(t, h.work)
	return h
}

// chooseFilesDir returns where the export and Hugo write their tens of
// thousands of files: MARQUEE_LOAD_FILES_DIR when set, else a directory
// in /dev/shm when it is a memory file system with room, else work.
//
// The figure is the programs', not the disk's. On ext4 (without a
// journal, as on this benchmark's machine) a file made within minutes of
// many deletions costs the kernel a walk over every recently freed inode
// (find_inode_bit → recently_deleted, seen with perf): the same 33,676
// files took 1.4 s or 24 s to write depending on what was deleted before.
// Memory is what a clean disk gives, every time; the harness also deletes
// no large tree before the export and Hugo have run, for the disk case.
func chooseFilesDir(t *testing.T, work string) string {
	parent := os.Getenv("MARQUEE_LOAD_FILES_DIR")
	if parent == "" {
		parent = work
		var st syscall.Statfs_t
		const tmpfsMagic = 0x01021994
		if syscall.Statfs("/dev/shm", &st) == nil && st.Type == tmpfsMagic && st.Bavail*uint64(st.Bsize) >= 4<<30 {
			parent = "/dev/shm"
		}
	}
	dir, err := os.MkdirTemp(parent, "marquee-load-files-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// moduleRoot is the repository's root: the directory holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

func envInt(t *testing.T, key string, fallback int) int {
	v := os.Getenv(key)
	if v == "" {
		return fallback
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive whole number", key, v)
	}
	return n
}

// lookTool finds a program on PATH or in /usr/sbin (where Debian puts
// nginx, often off a user's PATH).
func lookTool(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if p := filepath.Join("/usr/sbin", name); isExecutable(p) {
		return p
	}
	return ""
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// say prints a progress line at once (go test -v streams standard output).
func (h *harness) say(format string, args ...any) {
	fmt.Printf("%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func (h *harness) add(figure, value, target, result string) {
	h.rows = append(h.rows, row{figure, value, target, result})
}

// scale names the catalogue size the run used.
func (h *harness) scale() string {
	s := thousands(float64(h.cfg.films)) + " films"
	if h.cfg.films == fullScaleFilms {
		return s + " (full scale)"
	}
	return s + " (reduced; full scale is " + thousands(fullScaleFilms) + ")"
}

// describe prints the machine and what the run will do.
func (h *harness) describe() {
	c := h.cfg
	h.say("Marquee load benchmark, %s", time.Now().Format("2006-01-02"))
	h.say("machine: %s", machine())
	h.say("scale: %s; each wrk run %s, %d threads, %d connections, %d alternating rounds", h.scale(), c.duration, threads, conns, c.rounds)
	h.say("marquee: %s (page cache flag: %v, export command: %v)", c.bin, yesNo(c.hasCacheFlag), yesNo(c.hasExport))
	h.say("the export and Hugo write into %s", c.filesDir)
	h.say("tools: wrk %s, nginx %s, hugo %s", c.wrk, c.nginx, orNone(c.hugo))
	if !c.hasCacheFlag {
		h.say("this marquee has no -page-cache-mb flag: it renders every request, so the warm and fresh runs measure the same thing")
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orNone(s string) string {
	if s == "" {
		return "not installed"
	}
	return s
}

// machine describes the CPU, cores and memory.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
				mem = fmt.Sprintf(", %.0f GB", float64(kb)/(1<<20))
			}
		}
	}
	return fmt.Sprintf("%d cores, %s%s, %s/%s", runtime.NumCPU(), model, mem, runtime.GOOS, runtime.GOARCH)
}

// prepare makes the two databases: a copy of the cached generated
// catalogue and a freshly seeded one, both migrated.
func (h *harness) prepare() (full, seeded string) {
	t, c := h.t, h.cfg
	cached, err := cachedCatalogue(h.ctx, h.say, c.bin, c.root, c.cacheDir, c.films)
	if err != nil {
		t.Fatal(err)
	}
	full = filepath.Join(h.work, "full.db")
	start := time.Now()
	if err := copyDB(cached, full); err != nil {
		t.Fatal(err)
	}
	if _, err := runTool(h.ctx, h.work, c.bin, "migrate", "-db", full); err != nil {
		t.Fatal(err)
	}
	h.say("copied and migrated the catalogue in %s", time.Since(start).Round(100*time.Millisecond))
	if h.facts, err = readFacts(h.ctx, full); err != nil {
		t.Fatal(err)
	}
	f := h.facts
	h.say("catalogue: %s films, %s people, %s reader reviews, %s ratings; %s",
		thousands(float64(f.Films)), thousands(float64(f.People)), thousands(float64(f.ReaderReviews)), thousands(float64(f.Ratings)), mb(dbSize(full)))
	h.say("typical film (median ratings): %s, %d ratings, %d reviews", f.TypicalSlug, f.TypicalRatings, f.TypicalReviews)
	h.add("catalogue", fmt.Sprintf("%s films, %s people, %s reader reviews, %s ratings", thousands(float64(f.Films)),
		thousands(float64(f.People)), thousands(float64(f.ReaderReviews)), thousands(float64(f.Ratings))), h.scale(), "")
	h.add("database size", mb(dbSize(full)), "", "")

	seeded = filepath.Join(h.work, "seeded.db")
	if _, err := runTool(h.ctx, h.work, c.bin, "seed", "-db", seeded); err != nil {
		t.Fatal(err)
	}
	return full, seeded
}

func kb(n int64) string { return fmt.Sprintf("%.1f kB", float64(n)/1000) }

// firstLine is the first line of s.
func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

func mb(n int64) string {
	if n >= 1<<30 {
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// instance is a running Marquee.
type instance struct {
	*proc
	url     string
	startup time.Duration
}

// startMarquee serves db with the built binary on a free loopback port,
// with the page cache of the given size when the binary has the flag, and
// measures the time from starting the process to the first 200 on /.
func (h *harness) startMarquee(name, db string, cacheMB int) *instance {
	addr := freeAddr(h.t)
	args := []string{"serve", "-db", db, "-addr", addr}
	if h.cfg.hasCacheFlag {
		args = append(args, "-page-cache-mb", strconv.Itoa(cacheMB))
	}
	start := time.Now()
	p := startProc(h.t, name, filepath.Join(h.work, strings.ReplaceAll(name, " ", "-")+".log"), childEnv(), h.cfg.bin, args...)
	url := "http://" + addr
	took, err := p.waitFor200(url+"/", start, startupLimit)
	if err != nil {
		h.t.Fatal(err)
	}
	h.say("started %s at %s in %s (to the first 200 on /)", name, url, took.Round(time.Millisecond))
	return &instance{proc: p, url: url, startup: took}
}

// server is one thing a case loads: a URL, and what to do around each run.
type server struct {
	name          string
	url           string
	before, after func()
}

// runCase loads each server in turn, round after round, after a short
// unmeasured warm-up of each, and returns the median of each server's
// rounds.
func (h *harness) runCase(name string, headers []string, servers ...server) []summary {
	h.say("case: %s", name)
	opts := wrkOptions{Threads: threads, Connections: conns, Duration: h.cfg.duration, Headers: headers}
	warm := opts
	warm.Duration = warmup
	load := func(s server, o wrkOptions) wrkResult {
		if s.before != nil {
			s.before()
		}
		r, err := runWrk(h.ctx, h.cfg.wrk, s.url, o)
		if s.after != nil {
			s.after()
		}
		if err != nil {
			h.t.Fatal(err)
		}
		return r
	}
	for _, s := range servers {
		load(s, warm)
	}
	runs := make([][]wrkResult, len(servers))
	for round := 1; round <= h.cfg.rounds; round++ {
		for i, s := range servers {
			r := load(s, opts)
			runs[i] = append(runs[i], r)
			note := ""
			if r.Non2xx3xx+r.SocketError > 0 {
				note = fmt.Sprintf("  (%d not 2xx/3xx, %d socket errors)", r.Non2xx3xx, r.SocketError)
			}
			h.say("  round %d  %-26s %9s req/s  p50 %9s  p99 %9s%s", round, s.name, thousands(r.RPS), ms(r.P50), ms(r.P99), note)
		}
	}
	out := make([]summary, len(servers))
	for i := range servers {
		out[i] = summarize(runs[i])
	}
	return out
}

// ratioRow adds the row comparing two rates against a floor.
func (h *harness) ratioRow(figure string, num, den summary, floor float64) {
	if den.RPS == 0 {
		h.add(figure, "no reference", fmt.Sprintf("≥ %.2f×", floor), "MISS")
		return
	}
	r := num.RPS / den.RPS
	result := "PASS"
	if r < floor || num.Failed > 0 {
		result = "MISS"
	}
	h.add(figure, fmt.Sprintf("%.2f×", r), fmt.Sprintf("≥ %.2f×", floor), result)
}

// p99Row adds the row for a latency target.
func (h *harness) p99Row(figure string, s summary, target bool) {
	if !target {
		h.add(figure, s.String(), "", "info")
		return
	}
	result := "PASS"
	if s.P99 >= targetP99 || s.Failed > 0 {
		result = "MISS"
	}
	h.add(figure, s.String(), "p99 < "+ms(targetP99), result)
}

// cachedPhase measures Marquee as it is meant to run (the page cache on)
// against the two references serving the same bytes.
func (h *harness) cachedPhase(fullDB, seededDB string) {
	t := h.t
	full := h.startMarquee("marquee full", fullDB, pageCacheMB)
	seeded := h.startMarquee("marquee seeded", seededDB, pageCacheMB)
	result := "PASS"
	if full.startup >= targetStartup {
		result = "MISS"
	}
	h.add("start-up on the "+thousands(float64(h.cfg.films))+"-film database (process start to first 200 on /)", full.startup.Round(time.Millisecond).String(), "< 1s", result)

	typicalPath := "/films/" + h.facts.TypicalSlug
	seededPath := "/films/" + seededFilm
	typical, err := fetchPage(full.url, typicalPath)
	if err != nil {
		t.Fatal(err)
	}
	paris, err := fetchPage(seeded.url, seededPath)
	if err != nil {
		t.Fatal(err)
	}
	pages := []page{typical, paris}
	for _, p := range pages {
		how := "compressed by Marquee"
		if !p.MarqueeGzip {
			how = "Marquee sends no gzip: compressed here for the references"
		}
		h.say("page %s: %d bytes, %d gzipped (%s)", p.Path, len(p.Plain), len(p.Gzip), how)
	}
	h.add("film pages loaded", fmt.Sprintf("typical %s (%d ratings, %d reader reviews): %s bytes, %s gzipped; seeded %s: %s bytes, %s gzipped%s",
		typicalPath, h.facts.TypicalRatings, h.facts.TypicalReviews, thousands(float64(len(typical.Plain))), thousands(float64(len(typical.Gzip))),
		seededPath, thousands(float64(len(paris.Plain))), thousands(float64(len(paris.Gzip))), gzipNote(typical.MarqueeGzip && paris.MarqueeGzip)), "", "")
	goURL := startGoServer(t, pages)
	nginxDir := filepath.Join(h.work, "nginx")
	if err := os.MkdirAll(nginxDir, 0o755); err != nil {
		t.Fatal(err)
	}
	nginxURL, nginx := startNginx(t, h.cfg.nginx, nginxDir, pages)
	for name, u := range map[string]string{"the Go server": goURL, "nginx": nginxURL} {
		if err := checkSameBytes(name, u, pages); err != nil {
			t.Fatal(err)
		}
	}
	h.say("references: Go net/http at %s, nginx at %s, both sending Marquee's bytes", goURL, nginxURL)

	type target struct {
		label string
		m     *instance
		p     page
	}
	targets := []target{
		{"typical " + typicalPath, full, typical},
		{"seeded " + seededPath, seeded, paris},
	}
	gzipHeader := []string{"Accept-Encoding: gzip"}
	for _, tg := range targets {
		for _, gz := range []bool{false, true} {
			enc, headers := "plain", []string(nil)
			if gz {
				enc, headers = "gzip", gzipHeader
			}
			name := fmt.Sprintf("film page %s, warm, %s", tg.label, enc)
			res := h.runCase(name, headers,
				server{name: "marquee", url: tg.m.url + tg.p.Path},
				server{name: "go net/http (bytes in memory)", url: goURL + tg.p.Path},
				server{name: "nginx (file)", url: nginxURL + tg.p.Path})
			if gz && !tg.p.MarqueeGzip {
				res[0].Annotation = "(Marquee sent it uncompressed)"
			}
			h.add(name+": Marquee", res[0].String(), "", "")
			h.add(name+": Go net/http", res[1].String(), "", "")
			h.add(name+": nginx", res[2].String(), "", "")
			h.ratioRow(name+": Marquee ÷ Go", res[0], res[1], targetVsGo)
			h.ratioRow(name+": Marquee ÷ nginx", res[0], res[2], targetVsNginx)
		}
	}

	// Search and the deepest page of the film index, as readers get them.
	h.listPages(full, "page cache on", true)

	// The film page while readers rate it, every write checked on the
	// next read.
	for _, tg := range targets {
		slug := strings.TrimPrefix(tg.p.Path, "/films/")
		w := newWriter(tg.m.url, slug, writeInterval, h.nextAddr)
		for _, gz := range []bool{false, true} {
			enc, headers := "plain", []string(nil)
			if gz {
				enc, headers = "gzip", gzipHeader
			}
			name := fmt.Sprintf("film page %s, a rating written every %s, %s", tg.label, writeInterval, enc)
			res := h.runCase(name, headers,
				server{name: "marquee + writes", url: tg.m.url + tg.p.Path, before: w.start, after: w.end},
				server{name: "go net/http (bytes in memory)", url: goURL + tg.p.Path},
				server{name: "nginx (file)", url: nginxURL + tg.p.Path})
			h.add(name+": Marquee", res[0].String(), "", "")
			h.ratioRow(name+": Marquee ÷ Go", res[0], res[1], targetWritesVsGo)
			h.ratioRow(name+": Marquee ÷ nginx", res[0], res[2], 0)
			h.rows[len(h.rows)-1].target, h.rows[len(h.rows)-1].result = "", "info"
		}
		st := w.result()
		h.nextAddr = w.next
		h.writeRow(tg.label, st)
	}

	h.rssRow("peak RSS of Marquee under load, page cache on ("+thousands(float64(h.cfg.films))+" films)", full)
	h.say("seeded Marquee peak RSS: %s", rssString(seeded))
	full.stop()
	seeded.stop()
	nginx.stop()
}

func gzipNote(marqueeGzips bool) string {
	if marqueeGzips {
		return " (Marquee's own gzip)"
	}
	return " (Marquee sends no gzip: compressed by the harness for the references)"
}

// writeRow reports the writes made during a film page's write cases.
func (h *harness) writeRow(label string, st writeStats) {
	var sum time.Duration
	var worst time.Duration
	for _, l := range st.Latencies {
		sum += l
		worst = max(worst, l)
	}
	value := fmt.Sprintf("%d ratings written (%.1f/s), %d failed, %d not on the next read", st.Writes,
		float64(st.Writes)/max(st.Elapsed.Seconds(), 1e-9), st.Failed, st.Stale)
	if st.Skipped > 0 {
		value += fmt.Sprintf(", %d not sent (%d writes still waiting)", st.Skipped, maxInFlight)
	}
	if n := len(st.Latencies); n > 0 {
		value += fmt.Sprintf("; write + read %s on average, %s at worst", ms(sum/time.Duration(n)), ms(worst))
	}
	result := "PASS"
	if st.Writes == 0 || st.Failed > 0 || st.Stale > 0 || st.Skipped > 0 {
		result = "MISS"
	}
	h.add("writes to "+label+" seen on the very next read", value, "every one", result)
	if st.FirstProblem != "" {
		h.say("first write problem: %s", st.FirstProblem)
	}
}

func rssString(m *instance) string {
	n, err := m.peakRSS()
	if err != nil {
		return err.Error()
	}
	return mb(n)
}

func (h *harness) rssRow(figure string, m *instance) {
	n, err := m.peakRSS()
	if err != nil {
		h.add(figure, err.Error(), "< 200 MB", "MISS")
		return
	}
	result := "PASS"
	if n >= targetPeakRSS {
		result = "MISS"
	}
	h.add(figure, mb(n), "< 200 MB", result)
}

// listPages loads search and the deepest film index page on m.
func (h *harness) listPages(m *instance, how string, target bool) {
	for _, p := range []struct{ label, path string }{
		{"search /search?q=love", "/search?q=love"},
		{"deepest /films page (the last, by keyset cursor)", h.facts.DeepestPath},
	} {
		resp, err := http.Get(m.url + p.path)
		if err != nil {
			h.t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			h.t.Fatalf("GET %s: %s", p.path, resp.Status)
		}
		name := fmt.Sprintf("%s, %s films, %s", p.label, thousands(float64(h.facts.Films)), how)
		res := h.runCase(name, nil, server{name: "marquee", url: m.url + p.path})
		h.p99Row(name, res[0], target)
	}
}

// freshPhase measures pages rendered on every request (the page cache
// off): the full-scale catalogue against the seeded site.
func (h *harness) freshPhase(fullDB, seededDB string) {
	t := h.t
	full := h.startMarquee("marquee full fresh", fullDB, 0)
	seeded := h.startMarquee("marquee seeded fresh", seededDB, 0)
	typicalPath := "/films/" + h.facts.TypicalSlug
	for _, u := range []string{full.url + typicalPath, seeded.url + "/films/" + seededFilm} {
		if _, err := fetchPage(u, ""); err != nil {
			t.Fatal(err)
		}
	}
	how := "page cache off (-page-cache-mb 0)"
	if !h.cfg.hasCacheFlag {
		how = "rendered on every request (no page cache in this build)"
	}
	name := "film page rendered fresh, " + thousands(float64(h.facts.Films)) + " films ÷ seeded, " + how
	res := h.runCase(name, nil,
		server{name: "marquee full " + h.facts.TypicalSlug, url: full.url + typicalPath},
		server{name: "marquee seeded " + seededFilm, url: seeded.url + "/films/" + seededFilm})
	h.add("film page rendered fresh: "+typicalPath+" ("+thousands(float64(h.facts.Films))+" films)", res[0].String(), "", "")
	h.add("film page rendered fresh: /films/"+seededFilm+" (seeded)", res[1].String(), "", "")
	h.ratioRow("film page rendered fresh: full scale ÷ seeded", res[0], res[1], targetFreshScale)
	h.listPages(full, "rendered fresh", false)
	h.rssRow("peak RSS of Marquee under load, page cache off ("+thousands(float64(h.cfg.films))+" films)", full)
	full.stop()
	seeded.stop()
}

// exportPhase times the static export against Hugo building as many
// pages of similar size.
func (h *harness) exportPhase() {
	t, c := h.t, h.cfg
	if !c.hasExport {
		h.say("static export: skipped, this marquee has no export command")
		h.add("static export pages/s", "skipped: this marquee has no export command", "≥ 5,000 pages/s, faster than Hugo", "SKIP")
		return
	}
	cached, err := cachedCatalogue(h.ctx, h.say, c.bin, c.root, c.cacheDir, c.exportFilms)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(h.work, "export.db")
	if err := copyDB(cached, db); err != nil {
		t.Fatal(err)
	}
	if _, err := runTool(h.ctx, h.work, c.bin, "migrate", "-db", db); err != nil {
		t.Fatal(err)
	}
	// Rounds alternate, as the wrk cases do: export, Hugo, export, Hugo…
	// Every run writes into a new directory, all kept until the phase
	// ends (see chooseFilesDir).
	defer func() {
		entries, _ := os.ReadDir(c.filesDir)
		for _, e := range entries {
			os.RemoveAll(filepath.Join(c.filesDir, e.Name()))
		}
	}()
	figure := fmt.Sprintf("static export, %s-film catalogue", thousands(float64(c.exportFilms)))
	var (
		exports          []exportResult
		hugos            []hugoResult
		hugoSrc, hugoVer string
		hugoFailed       bool
	)
	for round := 1; round <= c.rounds; round++ {
		out := filepath.Join(c.filesDir, fmt.Sprintf("export-%d", round))
		h.say("round %d: exporting the %s-film catalogue (marquee export) into %s", round, thousands(float64(c.exportFilms)), out)
		ctx, cancel := context.WithTimeout(h.ctx, exportLimit)
		er, err := runExport(ctx, c.bin, db, out)
		cancel()
		if err != nil {
			// The export is the program under test: its failure is a
			// figure, not a broken harness.
			h.say("export failed: %v", err)
			h.add(figure, "failed: "+firstLine(err.Error()), "≥ 5,000 pages/s", "MISS")
			return
		}
		h.say("export: %s pages in %s without the share cards (%s pages/s, start to exit); %s images; it printed %q; files: %s; mean HTML page %d bytes",
			thousands(float64(er.Pages)), er.PagesWall.Round(time.Millisecond), thousands(er.PagesPerSec), thousands(float64(er.Images)),
			er.Summary, er.Files.kinds(), er.Files.MeanHTML)
		exports = append(exports, er)
		if c.hugo == "" || hugoFailed {
			continue
		}
		if hugoSrc == "" {
			h.say("writing the source of %d Hugo pages of about %d bytes", er.Pages, er.Files.MeanHTML)
			if hugoSrc, hugoVer, _, err = prepareHugo(h.ctx, c.hugo, filepath.Join(c.filesDir, "hugo"), er.Pages, er.Files.MeanHTML); err != nil {
				h.t.Fatal(err)
			}
		}
		hr, err := runHugo(h.ctx, c.hugo, hugoSrc, filepath.Join(c.filesDir, fmt.Sprintf("hugo-public-%d", round)), er.Pages)
		if err != nil {
			h.say("hugo failed: %v", err)
			h.add("Hugo, the same number of pages", "failed: "+firstLine(err.Error()), "", "MISS")
			hugoFailed = true
			continue
		}
		hr.Version = hugoVer
		h.say("hugo: %d pages in %s (%s pages/s); output %s HTML files, mean %d bytes; %s",
			hr.Pages, hr.Wall.Round(time.Millisecond), thousands(hr.PerSec), thousands(float64(hr.Files.HTML)), hr.Files.MeanHTML, hr.Version)
		hugos = append(hugos, hr)
	}
	er, lo, hi := medianBy(exports, func(r exportResult) float64 { return r.PagesPerSec })
	result := "PASS"
	if er.PagesPerSec < targetExportPerSec {
		result = "MISS"
	}
	h.add(fmt.Sprintf("%s: %s pages (mean HTML page %s), start to exit without the share cards, median of %d", figure, thousands(float64(er.Pages)), kb(er.Files.MeanHTML), len(exports)),
		fmt.Sprintf("%s pages/s (%s; range %s–%s; export's own count %s pages/s)", thousands(er.PagesPerSec), er.PagesWall.Round(10*time.Millisecond),
			thousands(lo), thousands(hi), thousands(er.OwnRate)),
		"≥ 5,000 pages/s", result)
	if er.Images > 0 {
		h.add(figure+": share cards after the pages", fmt.Sprintf("%s images in %s (%s/s)", thousands(float64(er.Images)),
			er.ImageTime.Round(10*time.Millisecond), thousands(float64(er.Images)/er.ImageTime.Seconds())), "", "info")
	}
	if c.hugo == "" {
		h.add("Hugo, the same number of pages", "skipped: hugo is not installed", "", "SKIP")
		return
	}
	if len(hugos) == 0 {
		return
	}
	hr, hlo, hhi := medianBy(hugos, func(r hugoResult) float64 { return r.PerSec })
	h.add(fmt.Sprintf("Hugo %s, %s Markdown pages (mean HTML page %s), hugo --quiet start to exit, median of %d", hugoVersion(hr.Version), thousands(float64(hr.Pages)), kb(hr.Files.MeanHTML), len(hugos)),
		fmt.Sprintf("%s pages/s (%s; range %s–%s)", thousands(hr.PerSec), hr.Wall.Round(10*time.Millisecond), thousands(hlo), thousands(hhi)), "", "")
	ratio := er.PagesPerSec / hr.PerSec
	result = "PASS"
	if ratio <= 1 {
		result = "MISS"
	}
	h.add("static export ÷ Hugo (the medians)", fmt.Sprintf("%.2f×", ratio), "> 1×", result)
}

// hugoVersion picks "0.111.3" out of "hugo v0.111.3+extended linux/amd64 …".
func hugoVersion(v string) string {
	for _, f := range strings.Fields(v) {
		if strings.HasPrefix(f, "v0.") || strings.HasPrefix(f, "v1.") {
			return strings.TrimPrefix(strings.SplitN(f, "+", 2)[0], "v")
		}
	}
	return ""
}

// printTable prints every figure with its target and result, as Markdown.
func (h *harness) printTable() {
	if len(h.rows) == 0 {
		return
	}
	fmt.Printf("\nMarquee load benchmark, %s; %s; %s; wrk -t%d -c%d, %s runs, median of %d alternating rounds\n\n",
		time.Now().Format("2006-01-02"), machine(), h.scale(), threads, conns, h.cfg.duration, h.cfg.rounds)
	fmt.Println("| figure | value | target | result |")
	fmt.Println("| --- | --- | --- | --- |")
	for _, r := range h.rows {
		fmt.Printf("| %s | %s | %s | %s |\n", r.figure, r.value, r.target, r.result)
	}
	var pass, miss int
	for _, r := range h.rows {
		switch r.result {
		case "PASS":
			pass++
		case "MISS":
			miss++
		}
	}
	fmt.Printf("\n%d targets met, %d missed\n", pass, miss)
}
