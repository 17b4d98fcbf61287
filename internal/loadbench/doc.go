// Package loadbench is Marquee's load benchmark: it shows what a film page
// costs next to a static file holding the same bytes. It lives in
// TestLoad, which skips unless MARQUEE_LOAD=1, so "make test" never runs
// it; "make load" builds bin/marquee, makes sure wrk, nginx and hugo are
// installed, and runs it.
//
// On one machine, everything on 127.0.0.1, it:
//
//   - generates the catalogue ("marquee gen", 100,000 films unless
//     MARQUEE_LOAD_FILMS says otherwise) once into a cache outside the
//     repository ($XDG_CACHE_HOME/marquee-load, or ~/.cache/marquee-load),
//     named by a hash of the generator's source and the options, so a
//     changed generator makes a new one; works on a copy; and seeds a
//     fresh database beside it;
//   - starts Marquee on each, and beside them the two references serving
//     the very bytes Marquee sent for the film page: a minimal net/http
//     server holding them in memory, and nginx serving them as files
//     (with a pre-compressed copy for gzip_static);
//   - loads each with wrk (2 threads, 64 connections) in alternating
//     rounds (Marquee, the Go server, nginx, Marquee, …) and compares
//     them measured in the same run: warm film pages plain and gzip, the
//     same while a rating is written every 100 ms (each write checked on
//     the very next read), pages rendered fresh with the page cache off,
//     search and the deepest film index page, peak memory, start-up time
//     and the database size;
//   - times "marquee export" against Hugo building as many pages of
//     similar size.
//
// It prints every figure as it goes and a closing Markdown table with each
// target and PASS or MISS. It asserts nothing about timing: only a broken
// harness (a tool missing, a server that does not answer, wrong bytes)
// fails it.
//
// Environment:
//
//	MARQUEE_LOAD=1               run at all
//	MARQUEE_LOAD_FILMS=N         catalogue size (default 100000)
//	MARQUEE_LOAD_EXPORT_FILMS=N  catalogue size for the export comparison (default 2000)
//	MARQUEE_LOAD_SECONDS=S       length of each measured wrk run (default 5)
//	MARQUEE_LOAD_ROUNDS=R        alternating rounds per case (default 3)
//	MARQUEE_LOAD_BIN=PATH        the marquee binary (default bin/marquee)
//	MARQUEE_LOAD_ONLY=export     run the export comparison alone
//	MARQUEE_LOAD_FILES_DIR=DIR   where the export and Hugo write (default
//	                             /dev/shm when it is memory with room, else
//	                             the run's temporary directory)
package loadbench
