package demo_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"ducha/demo"
	"ducha/internal/storetest"
	"ducha/store"
)

// BenchmarkFill measures the bulk import on a fresh SQLite file: 20,000
// problems in batches of 5,000, no workflow sample. Run it with
//
//	go test ./demo/ -run '^$' -bench Fill -benchtime 3x
//
// and read problems/s.
func BenchmarkFill(b *testing.B) {
	benchmarkFill(b, 20000, -1)
}

// BenchmarkFillWorkflow adds the default workflow sample (2,000 problems
// worked through db.ActOnProblem) and reports its actions per second.
func BenchmarkFillWorkflow(b *testing.B) {
	benchmarkFill(b, 20000, 0)
}

func benchmarkFill(b *testing.B, problems, workflow int) {
	var imported, actions, importSec, workSec float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := storetest.Open(b, "sqlite", store.Options{})
		b.StartTimer()
		res, err := demo.Fill(context.Background(), db, demo.Options{Problems: problems, Seed: int64(i), Workflow: workflow})
		if err != nil {
			b.Fatal(err)
		}
		imported += float64(res.Problems)
		importSec += res.ImportElapsed.Seconds()
		actions += float64(res.Actions)
		workSec += (res.Elapsed - res.ImportElapsed).Seconds()
	}
	b.ReportMetric(imported/importSec, "problems/s")
	if actions > 0 {
		b.ReportMetric(actions/workSec, "actions/s")
	}
}

// TestLoad is the documented load run; it is skipped unless
// DUCHA_DEMO_LOAD gives the number of problems:
//
//	DUCHA_DEMO_LOAD=1000000 go test ./demo/ -run TestLoad -v -timeout 1h
//
// DUCHA_DEMO_ENGINE=postgres runs it on a throwaway PostgreSQL instead of a
// SQLite file.
func TestLoad(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("DUCHA_DEMO_LOAD"))
	if n <= 0 {
		t.Skip("set DUCHA_DEMO_LOAD to the number of problems for the load run")
	}
	engine := os.Getenv("DUCHA_DEMO_ENGINE")
	if engine == "" {
		engine = "sqlite"
	}
	db := storetest.Open(t, engine, store.Options{})
	start, step := time.Now(), max(n/10, 1)
	res, err := demo.Fill(context.Background(), db, demo.Options{Problems: n, Seed: 1,
		Progress: func(done, total int) {
			if done%step < demo.DefaultBatch && done <= n {
				t.Logf("%8d of %d after %v (%.0f problems/s)", done, n, time.Since(start).Round(time.Second),
					float64(done)/time.Since(start).Seconds())
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d problems imported in %v (%.0f problems/s); %d workflow actions; %d events; all in %v",
		engine, res.Problems, res.ImportElapsed.Round(time.Millisecond), res.Rate(), res.Actions, res.Events,
		res.Elapsed.Round(time.Millisecond))
}
