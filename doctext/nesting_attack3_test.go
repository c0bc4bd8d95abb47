package doctext_test

import (
	"runtime"
	"strings"
	"testing"

	"ducha/doctext"
)

// TestAttack3DocxDeepNesting: a .docx whose document.xml nests a million
// elements (<w:sdt> inside <w:sdt> …, 15 MB of XML well within the 64 MB
// bound, a few kB zipped) is read to the end: encoding/xml's Token keeps
// one stack entry (and namespace scope) per open element, so the read
// allocates hundreds of MB and takes seconds; at the 64 MB bound it is
// over a GB per upload, four uploads at once. No Word document nests so
// deep: the reader should refuse a depth beyond a few hundred levels.
func TestAttack3DocxDeepNesting(t *testing.T) {
	const depth = 1_000_000
	body := "<w:p>" + strings.Repeat("<w:sdt>", depth) + "<w:r><w:t>正文</w:t></w:r>" + strings.Repeat("</w:sdt>", depth) + "</w:p>"
	data := docx(t, body)
	t.Logf("docx %d bytes, document.xml %d bytes", len(data), len(body))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := doctext.Extract("深层嵌套.docx", data, doctext.Limits{})
	runtime.ReadMemStats(&after)
	alloc := (after.TotalAlloc - before.TotalAlloc) >> 20
	switch {
	case err == nil:
		t.Errorf("a document nested %d deep was read (allocating %d MB): want a refusal naming the nesting", depth, alloc)
	case alloc > 128:
		t.Errorf("refused (%v) only after allocating %d MB", err, alloc)
	default:
		t.Logf("refused: %v (%d MB)", err, alloc)
	}
}
