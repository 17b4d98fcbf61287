// Package diff compares two texts line by line, for the revision history of
// the editors' desk: which lines of a review an edit removed, which it
// added, and which it kept.
//
// It finds a longest common subsequence of lines by dynamic programming,
// after setting aside the lines the two texts share at their start and end
// (most edits touch a few lines in the middle). The table grows with the
// product of the differing lines' counts, so past MaxCells the middle is
// reported as removed whole and added whole: still a correct diff, only a
// less helpful one, and never a slow page.
package diff

import "strings"

// Op says what happened to a line.
type Op int

// The operations of a line diff.
const (
	Equal  Op = iota // Equal lines are in both texts.
	Delete           // Delete lines are only in the old text.
	Insert           // Insert lines are only in the new text.
)

// Line is one line of a diff.
type Line struct {
	Op   Op
	Text string
	// OldNumber and NewNumber are the line's 1-based numbers in the old and
	// new texts, 0 where it is absent.
	OldNumber int
	NewNumber int
}

// MaxCells bounds the dynamic-programming table (old lines × new lines of
// the part that differs). Review bodies are at most 100,000 characters, so
// real edits stay far below it.
const MaxCells = 4_000_000

// Lines compares old and new line by line. Both are split on "\n" (a
// "\r\n" ending counts as "\n"); an empty text has no lines.
func Lines(old, new string) []Line {
	return Compare(split(old), split(new))
}

// Changed reports whether a diff holds any line that is not Equal.
func Changed(lines []Line) bool {
	for _, l := range lines {
		if l.Op != Equal {
			return true
		}
	}
	return false
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// Compare diffs two lists of lines.
func Compare(a, b []string) []Line {
	// Common prefix and suffix first: they cost nothing to find and keep
	// the table small.
	prefix := 0
	for prefix < len(a) && prefix < len(b) && a[prefix] == b[prefix] {
		prefix++
	}
	suffix := 0
	for suffix < len(a)-prefix && suffix < len(b)-prefix && a[len(a)-1-suffix] == b[len(b)-1-suffix] {
		suffix++
	}
	out := make([]Line, 0, len(a)+len(b)-prefix-suffix)
	for i := 0; i < prefix; i++ {
		out = append(out, Line{Op: Equal, Text: a[i], OldNumber: i + 1, NewNumber: i + 1})
	}
	out = append(out, middle(a[prefix:len(a)-suffix], b[prefix:len(b)-suffix], prefix, prefix)...)
	for k := suffix; k > 0; k-- {
		i, j := len(a)-k, len(b)-k
		out = append(out, Line{Op: Equal, Text: a[i], OldNumber: i + 1, NewNumber: j + 1})
	}
	return out
}

// middle diffs the part between the common prefix and suffix; offA and
// offB are where it starts in each text.
func middle(a, b []string, offA, offB int) []Line {
	n, m := len(a), len(b)
	var out []Line
	if n == 0 || m == 0 || n*m > MaxCells {
		for i, s := range a {
			out = append(out, Line{Op: Delete, Text: s, OldNumber: offA + i + 1})
		}
		for j, s := range b {
			out = append(out, Line{Op: Insert, Text: s, NewNumber: offB + j + 1})
		}
		return out
	}
	// lcs[i][j] is the length of a longest common subsequence of a[i:] and
	// b[j:], kept in one flat slice of (n+1)×(m+1) cells.
	width := m + 1
	lcs := make([]int32, (n+1)*width)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*width+j] = lcs[(i+1)*width+j+1] + 1
			} else {
				lcs[i*width+j] = max(lcs[(i+1)*width+j], lcs[i*width+j+1])
			}
		}
	}
	// Walk the table from the start, preferring deletions before
	// insertions so that a replaced line reads "- old" then "+ new".
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			out = append(out, Line{Op: Equal, Text: a[i], OldNumber: offA + i + 1, NewNumber: offB + j + 1})
			i++
			j++
		case lcs[(i+1)*width+j] >= lcs[i*width+j+1]:
			out = append(out, Line{Op: Delete, Text: a[i], OldNumber: offA + i + 1})
			i++
		default:
			out = append(out, Line{Op: Insert, Text: b[j], NewNumber: offB + j + 1})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, Line{Op: Delete, Text: a[i], OldNumber: offA + i + 1})
	}
	for ; j < m; j++ {
		out = append(out, Line{Op: Insert, Text: b[j], NewNumber: offB + j + 1})
	}
	return out
}
