package loadbench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/pgtest"
)

// postgresSettings tune the benchmark's throwaway cluster as a server of
// its own would be tuned, for a machine whose memory it shares with the
// app server: shared buffers at about a quarter of what a small dedicated
// machine has, the planner told that the OS caches much more and that
// pages are on an SSD, room for sorts and for the bulk load's index builds.
// pgtest itself turns fsync, synchronous_commit and full_page_writes off on
// the command line, which these cannot undo: the load time below is
// therefore that of an unsafe server, though none of the page figures
// writes anything.
var postgresSettings = []struct{ name, value string }{
	{"shared_buffers", "1GB"},
	{"effective_cache_size", "4GB"},
	{"work_mem", "16MB"},
	{"maintenance_work_mem", "512MB"},
	{"random_page_cost", "1.1"},
	{"effective_io_concurrency", "200"},
	{"max_wal_size", "4GB"},
	{"checkpoint_timeout", "15min"},
}

// postgresPhase serves the same catalogue from PostgreSQL: it starts a
// throwaway cluster (pgtest), loads the catalogue into it with marquee gen
// and the same options the SQLite catalogue was made with, and loads the
// fresh typical film page and search from it and from SQLite in alternating
// rounds, then the warm film page from both. It skips, with a line saying
// why, where no cluster can start.
func (h *harness) postgresPhase(fullDB string) {
	skip := func(why string) {
		h.say("PostgreSQL: skipped: %s", why)
		h.add("PostgreSQL", "skipped: "+why, "", "SKIP")
	}
	bin, err := pgtest.FindBin()
	if err != nil {
		skip(err.Error())
		return
	}
	cluster, err := pgtest.Start(h.ctx, bin)
	if err != nil {
		skip("no cluster could start: " + firstLine(err.Error()))
		return
	}
	defer cluster.Stop()
	if err := tuneCluster(h.ctx, cluster, bin); err != nil {
		h.t.Fatal(err)
	}
	var settings []string
	for _, s := range postgresSettings {
		settings = append(settings, s.name+"="+s.value)
	}
	h.say("PostgreSQL cluster (%s) at port %d, tuned: %s", bin, cluster.Port(), strings.Join(settings, ", "))

	url := cluster.URL("marquee")
	if err := pgExec(h.ctx, cluster.URL("postgres"), "CREATE DATABASE marquee"); err != nil {
		h.t.Fatal(err)
	}
	h.say("loading %s films into PostgreSQL (marquee gen -films %d -seed 1)", thousands(float64(h.cfg.films)), h.cfg.films)
	start := time.Now()
	if _, err := runTool(h.ctx, h.work, h.cfg.bin, "gen", "-films", fmt.Sprint(h.cfg.films), "-seed", "1", "-db", url); err != nil {
		h.t.Fatal(err)
	}
	took := time.Since(start)
	size, err := pgSize(h.ctx, url)
	if err != nil {
		h.t.Fatal(err)
	}
	h.say("PostgreSQL: loaded in %s (migrations, generation, COPY, rebuild of the kept counts and search, VACUUM ANALYZE); database %s",
		took.Round(100*time.Millisecond), mb(size))
	h.add("PostgreSQL: marquee gen of the "+thousands(float64(h.cfg.films))+"-film catalogue (fsync off)",
		took.Round(100*time.Millisecond).String(), "", "info")
	h.add("PostgreSQL: database size", mb(size)+" (SQLite: "+mb(dbSize(fullDB))+")", "", "info")

	lite := h.startMarquee("marquee sqlite fresh", fullDB, 0)
	pg := h.startMarquee("marquee postgres fresh", url, 0)
	typicalPath := "/films/" + h.facts.TypicalSlug
	for _, path := range []string{typicalPath, "/search?q=love"} {
		for _, m := range []*instance{lite, pg} {
			if _, err := fetchPage(m.url, path); err != nil {
				h.t.Fatalf("%s: %v", m.name, err)
			}
		}
	}
	for _, p := range []struct{ label, path string }{
		{"film page " + typicalPath, typicalPath},
		{"search /search?q=love", "/search?q=love"},
	} {
		name := fmt.Sprintf("%s rendered fresh (-page-cache-mb 0), %s films, SQLite and PostgreSQL", p.label, thousands(float64(h.facts.Films)))
		res := h.runCase(name, nil,
			server{name: "marquee sqlite", url: lite.url + p.path},
			server{name: "marquee postgres", url: pg.url + p.path})
		h.backendRows(p.label+", rendered fresh", res[0], res[1])
	}
	h.rssRow("peak RSS of Marquee on PostgreSQL under load, page cache off ("+thousands(float64(h.cfg.films))+" films)", pg)
	lite.stop()
	pg.stop()

	lite = h.startMarquee("marquee sqlite warm", fullDB, pageCacheMB)
	pg = h.startMarquee("marquee postgres warm", url, pageCacheMB)
	name := fmt.Sprintf("film page %s, warm (page cache on), SQLite and PostgreSQL", typicalPath)
	res := h.runCase(name, nil,
		server{name: "marquee sqlite", url: lite.url + typicalPath},
		server{name: "marquee postgres", url: pg.url + typicalPath})
	h.backendRows("film page "+typicalPath+", warm", res[0], res[1])
	lite.stop()
	pg.stop()
}

// backendRows adds a case's figures on each backend and their ratio.
func (h *harness) backendRows(figure string, lite, pg summary) {
	h.add(figure+": SQLite", lite.String(), "", "")
	h.add(figure+": PostgreSQL", pg.String(), "", "")
	ratio := "no reference"
	if lite.RPS > 0 {
		ratio = fmt.Sprintf("%.2f×", pg.RPS/lite.RPS)
	}
	h.add(figure+": PostgreSQL ÷ SQLite", ratio, "", "info")
}

// tuneCluster writes postgresSettings with ALTER SYSTEM and restarts the
// server (shared_buffers takes effect only then), with pg_ctl run as the
// user the server runs as: the owner of its directory.
func tuneCluster(ctx context.Context, c *pgtest.Cluster, bin string) error {
	for _, s := range postgresSettings {
		if err := pgExec(ctx, c.URL("postgres"), fmt.Sprintf("ALTER SYSTEM SET %s = '%s'", s.name, s.value)); err != nil {
			return err
		}
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "pg_ctl"), "-D", filepath.Join(c.Dir, "data"),
		"-l", filepath.Join(c.Dir, "server.log"), "-w", "-t", "120", "restart")
	cmd.Dir = c.Dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LC_ALL=C.UTF-8", "TZ=UTC"}
	info, err := os.Stat(c.Dir)
	if err != nil {
		return err
	}
	if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: st.Uid, Gid: st.Gid, NoSetGroups: true}}
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("restart the cluster with its settings: %w\n%s\n%s", err, out, c.Log())
	}
	var wrong []string
	for _, s := range postgresSettings {
		var got string
		if err := pgQueryRow(ctx, c.URL("postgres"), "SELECT current_setting($1)", []any{s.name}, &got); err != nil {
			return err
		}
		if !strings.EqualFold(got, s.value) {
			wrong = append(wrong, s.name+" is "+got)
		}
	}
	if len(wrong) > 0 {
		return errors.New("the cluster did not take its settings: " + strings.Join(wrong, ", "))
	}
	return nil
}

// pgExec runs one statement on the database at url.
func pgExec(ctx context.Context, url, sql string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

// pgQueryRow reads one row from the database at url.
func pgQueryRow(ctx context.Context, url, sql string, args []any, dest ...any) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, sql, args...).Scan(dest...); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

// pgSize is the size of the database at url, tables and indexes.
func pgSize(ctx context.Context, url string) (int64, error) {
	var n int64
	err := pgQueryRow(ctx, url, "SELECT pg_database_size(current_database())", nil, &n)
	return n, err
}
