package store

import (
	"bytes"
	"runtime"
	"testing"

	"caseboard/model"
)

// BenchmarkParseDocument100k: an exported document of 100,000 cases read
// by the streamed parser into a sink that drops the chunks (stream), by
// ParseDocument keeping every record (document), and by the parser that
// held the whole input (legacy, kept in parse_legacy_test.go for this
// comparison only). It reports MB/s and the bytes allocated per case
// (the memory held is TestParseDocumentStreamHoldsLittle's).
func BenchmarkParseDocument100k(b *testing.B) {
	const n = 100000
	data, err := model.MarshalDocument(bigDoc(n))
	if err != nil {
		b.Fatal(err)
	}
	run := map[string]func() error{
		"stream": func() error {
			s := &countSink{}
			return ParseDocumentStream(bytes.NewReader(data), 1000, s)
		},
		"document": func() error {
			_, err := ParseDocument(bytes.NewReader(data))
			return err
		},
		"legacy": func() error {
			_, err := legacyParseDocument(bytes.NewReader(data))
			return err
		},
	}
	for _, name := range []string{"stream", "document", "legacy"} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				if err := run[name](); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			runtime.ReadMemStats(&after)
			perCase := float64(after.TotalAlloc-before.TotalAlloc) / float64(b.N*n)
			b.ReportMetric(perCase, "B/case")
			mbs := float64(len(data)) * float64(b.N) / b.Elapsed().Seconds() / 1e6
			if mbs < 5 {
				b.Fatalf("%s: %.1f MB/s, floor 5", name, mbs)
			}
		})
	}
}
