package diff

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// render writes a diff the way a unified diff marks its lines.
func render(lines []Line) string {
	var b strings.Builder
	for _, l := range lines {
		switch l.Op {
		case Equal:
			b.WriteString("  ")
		case Delete:
			b.WriteString("- ")
		case Insert:
			b.WriteString("+ ")
		}
		b.WriteString(l.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

func TestLines(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"both empty", "", "", ""},
		{"added to empty", "", "a\nb", "+ a\n+ b\n"},
		{"emptied", "a\nb\n", "", "- a\n- b\n"},
		{"same", "a\nb", "a\nb\n", "  a\n  b\n"},
		{"one line changed", "a\nb\nc", "a\nB\nc", "  a\n- b\n+ B\n  c\n"},
		{"line inserted", "a\nc", "a\nb\nc", "  a\n+ b\n  c\n"},
		{"line removed", "a\nb\nc", "a\nc", "  a\n- b\n  c\n"},
		{"moved", "a\nb\nc\nd", "b\nc\na\nd", "- a\n  b\n  c\n+ a\n  d\n"},
		{"crlf", "a\r\nb\r\n", "a\nb", "  a\n  b\n"},
		{"interleaved", "x\na\ny\nb\nz", "a\nb\nc", "- x\n  a\n- y\n  b\n- z\n+ c\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, render(Lines(tt.old, tt.new))); diff != "" {
				t.Errorf("Lines(%q, %q) mismatch (-want +got):\n%s", tt.old, tt.new, diff)
			}
		})
	}
}

func TestLineNumbers(t *testing.T) {
	got := Lines("a\nb\nc\nd", "a\nx\nc\nd\ne")
	want := []Line{
		{Op: Equal, Text: "a", OldNumber: 1, NewNumber: 1},
		{Op: Delete, Text: "b", OldNumber: 2},
		{Op: Insert, Text: "x", NewNumber: 2},
		{Op: Equal, Text: "c", OldNumber: 3, NewNumber: 3},
		{Op: Equal, Text: "d", OldNumber: 4, NewNumber: 4},
		{Op: Insert, Text: "e", NewNumber: 5},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if !Changed(got) || Changed(Lines("a", "a")) {
		t.Error("Changed is wrong")
	}
}

// TestLargeFallsBack checks that a diff too large for the table is still
// correct: every old line removed, every new line added.
func TestLargeFallsBack(t *testing.T) {
	var a, b []string
	for i := 0; i < 2100; i++ {
		a = append(a, "old "+strings.Repeat("x", i%7))
		b = append(b, "new "+strings.Repeat("y", i%5))
	}
	got := Compare(a, b)
	if len(got) != len(a)+len(b) {
		t.Fatalf("%d lines, want %d", len(got), len(a)+len(b))
	}
	if got[0].Op != Delete || got[len(got)-1].Op != Insert {
		t.Errorf("first %v, last %v", got[0], got[len(got)-1])
	}
}
