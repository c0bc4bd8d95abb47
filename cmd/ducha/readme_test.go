package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"ducha"
)

// TestReadmeFirstLook runs the README's first look, command by command, on a
// fresh store (ducha serve aside, which TestBootOnPort0 covers): the demo,
// the daily report, a campaign for the third round and the import of a
// sample batch. Every flag the commands use must be listed by ducha help.
// The report as of a day inside the demo's batches is not empty.
func TestReadmeFirstLook(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i := strings.Index(s, "## A first look")
	if i < 0 {
		t.Fatal("README has no first look")
	}
	s = s[i:]
	if j := strings.Index(s[3:], "\n## "); j >= 0 {
		s = s[:j+3]
	}
	var cmds [][]string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "./ducha ") {
			continue
		}
		if k := strings.Index(line, " #"); k >= 0 {
			line = line[:k]
		}
		args := strings.Fields(strings.TrimPrefix(line, "./ducha "))
		for k, a := range args {
			if strings.HasPrefix(a, "../shared/samples/") {
				args[k] = filepath.Join(samples, strings.TrimPrefix(a, "../shared/samples/"))
			}
		}
		cmds = append(cmds, args)
	}
	if len(cmds) < 4 {
		t.Fatalf("first look has %d ducha commands: %q", len(cmds), cmds)
	}
	_, _, help := runCLI(t, filepath.Join(t.TempDir(), "help.db"), "", "help")
	flag := regexp.MustCompile(`^--[a-z-]+`)
	db := filepath.Join(t.TempDir(), "ducha.db")
	for _, args := range cmds {
		for _, a := range args {
			if f := flag.FindString(a); f != "" && !strings.Contains(help, f) {
				t.Errorf("ducha help does not list %s (used by the README: %s)", f, strings.Join(args, " "))
			}
		}
		out := mustRun(t, db, "", args...)
		t.Logf("ducha %s\n%s", strings.Join(args, " "), out)
	}
	// A day in the middle of the demo's batches has cases in its report.
	var r struct {
		Cases struct {
			Batches, Total, Closed int
		} `json:"cases"`
		Measures struct {
			OrderedToRectify int    `json:"ordered_to_rectify"`
			PenaltyCases     int    `json:"penalty_cases"`
			FinesYuan        string `json:"fines_yuan"`
		} `json:"measures"`
	}
	day := string(ducha.Today(time.Now()).AddDays(-10))
	if err := json.Unmarshal([]byte(mustRun(t, db, "", "report", "daily", "--date", day, "--format", "json")), &r); err != nil {
		t.Fatal(err)
	}
	if r.Cases.Batches < 5 || r.Cases.Total < 500 || r.Cases.Closed == 0 {
		t.Errorf("report as of %s: %+v, want the demo's first ten batches worked", day, r.Cases)
	}
	// Plausible enforcement: many enterprises, fines of county practice.
	if r.Measures.OrderedToRectify < 50 || r.Measures.PenaltyCases < 20 {
		t.Errorf("report as of %s: %+v, want dozens of enterprises ordered and fined", day, r.Measures)
	}
	var fines float64
	json.Unmarshal([]byte(r.Measures.FinesYuan), &fines)
	if avg := fines / float64(max(r.Measures.PenaltyCases, 1)); avg < 5000 || avg > 100000 {
		t.Errorf("average fine per penalised enterprise %.0f yuan, want 5,000–100,000", avg)
	}
}
