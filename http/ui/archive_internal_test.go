package ui

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"ducha"
	"ducha/http/web"
)

// TestArchiveFieldsLaterFields: a field the item gains later — a list of
// dated entries, an object with a list and an object inside — comes out
// of its JSON encoding as numbered, labelled rows without a change to the
// archive; a key the catalogue does not know shows as itself.
func TestArchiveFieldsLaterFields(t *testing.T) {
	type entry struct {
		At   time.Time `json:"at"`
		Text string    `json:"text"`
	}
	type level struct {
		Level    string `json:"level"`
		Approved bool   `json:"approved"`
	}
	type closure struct {
		Levels    []level           `json:"levels"`
		Publicity map[string]string `json:"publicity"`
	}
	item := struct {
		Code     string              `json:"code"`
		Status   ducha.ProblemStatus `json:"status"`
		Progress []entry             `json:"progress"`
		Closure  closure             `json:"closure"`
		Types    []string            `json:"types"`
		Secret   string              `json:"attachments"`
		Deadline ducha.Date          `json:"deadline"`
	}{
		Code: "QS-1", Status: ducha.StatusClosed, Types: []string{"大气", "水"}, Secret: "x", Deadline: "2026-12-20",
		Progress: []entry{{time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC), "围挡"}, {time.Date(2026, 12, 5, 2, 0, 0, 0, time.UTC), "洒水"}},
		Closure:  closure{Levels: []level{{"县级", true}}, Publicity: map[string]string{"from": "2026-12-20"}},
	}
	rows, err := archiveFields(&page{Lang: web.LangZH}, false, item, []string{"status", "code"}, []string{"attachments"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Label+"="+r.Value)
	}
	// The keys the catalogue has labels for are labelled; one it has not
	// (approved) shows as itself.
	want := []string{"状态=已销号", "编号=QS-1", "进展记录 1 · 时间=2026-12-01 10:00", "进展记录 1 · 内容=围挡",
		"进展记录 2 · 时间=2026-12-05 10:00", "进展记录 2 · 内容=洒水", "验收销号记录 · 验收 1 · 验收层级=县级",
		"验收销号记录 · 验收 1 · approved=是", "验收销号记录 · 销号公示 · 公示起始日=2026-12-20", "污染类型=大气、水", "整改时限=2026-12-20"}
	if !slices.Equal(got, want) {
		t.Errorf("rows\n got %q\nwant %q", got, want)
	}
}

// TestArchiveNames: whatever an attachment is called, its name in the zip
// is one file name in the folder, readable on every system, and unique.
func TestArchiveNames(t *testing.T) {
	long := strings.Repeat("很长的文件名", 100) + ".pdf"
	in := []string{"../../etc/passwd", `..\..\win.ini`, "a/b\\c.txt", "x\x00y\nz\x7f.txt", "\u202egnp.exe", "报告.txt", "报告.TXT",
		"报告.txt", "", "...", "  ", "nul", "Com1.jpg", long, long, "a..b.pdf", "a:b*c?.doc", string([]byte{0xff, 0xfe}) + ".txt",
		strings.Repeat("a", 200) + "." + strings.Repeat("b", 40)}
	out := archiveNames(in)
	seen := map[string]bool{}
	for i, name := range out {
		lower := strings.ToLower(name)
		if name == "" || strings.ContainsAny(name, `/\:*?"<>|`) || strings.Contains(name, "..") || !utf8.ValidString(name) ||
			strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0 ||
			utf8.RuneCountInString(name) > maxArchiveName || seen[lower] || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") {
			t.Errorf("%q → %q", in[i], name)
		}
		seen[lower] = true
	}
	for i, want := range map[int]string{0: "_._etc_passwd", 5: "报告.txt", 6: "报告 (2).TXT", 7: "报告 (3).txt", 8: "附件", 9: "附件 (2)",
		11: "_nul", 12: "_Com1.jpg", 15: "a.b.pdf"} {
		if out[i] != want {
			t.Errorf("%q → %q, want %q", in[i], out[i], want)
		}
	}
	if !strings.HasSuffix(out[13], ".pdf") || !strings.HasSuffix(out[14], " (2).pdf") || utf8.RuneCountInString(out[13]) != maxArchiveName {
		t.Errorf("long names: %q %q", out[13], out[14])
	}
}

// TestContentDisposition: the real name in filename* (RFC 5987), an ASCII
// one beside it.
func TestContentDisposition(t *testing.T) {
	name, fallback := archiveFileNames("QS-2026-0001", "problem", 1)
	if got := contentDisposition(name, fallback); got != `attachment; filename="archive-QS-2026-0001.zip"; filename*=UTF-8''%E4%B8%80%E6%A1%88%E4%B8%80%E6%A1%A3-QS-2026-0001.zip` {
		t.Errorf("%s", got)
	}
	name, fallback = archiveFileNames("清信〔2026〕1号", "case", 7)
	if fallback != "archive-20261.zip" || name != "一案一档-清信〔2026〕1号.zip" {
		t.Errorf("%q %q", name, fallback)
	}
	if name, fallback = archiveFileNames("信访", "case", 7); fallback != "archive-case-7.zip" {
		t.Errorf("%q %q", name, fallback)
	}
}
