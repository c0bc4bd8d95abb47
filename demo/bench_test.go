package demo_test

import (
	"context"
	"testing"

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
