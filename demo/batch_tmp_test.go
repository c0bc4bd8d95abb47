package demo_test

import (
	"context"
	"fmt"
	"testing"

	"ducha/demo"
	"ducha/internal/storetest"
	"ducha/store"
)

func BenchmarkBatchTmp(b *testing.B) {
	for _, size := range []int{1000, 5000, 20000} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			var n, sec float64
			for i := 0; i < b.N; i++ {
				db := storetest.Open(b, "sqlite", store.Options{})
				res, err := demo.Fill(context.Background(), db, demo.Options{Problems: 20000, Batch: size, Workflow: -1})
				if err != nil {
					b.Fatal(err)
				}
				n += float64(res.Problems)
				sec += res.ImportElapsed.Seconds()
			}
			b.ReportMetric(n/sec, "problems/s")
		})
	}
}
