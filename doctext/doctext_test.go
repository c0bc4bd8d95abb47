package doctext_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"ducha"
	"ducha/doctext"
	"ducha/text"
)

// docx builds a real .docx (a zip with word/document.xml) of body, the XML
// inside <w:body>.
func docx(t *testing.T, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	w, _ = zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func extract(t *testing.T, name string, data []byte) string {
	t.Helper()
	res, err := doctext.Extract(name, data, doctext.Limits{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res.Text
}

// pinyinNote is a note left in: a parenthesis holding Latin letters only.
var pinyinNote = regexp.MustCompile(`[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü ]+[)）]`)

// The seed (a news report in traditional characters with pinyin notes)
// comes out simplified, without notes, its paragraphs kept.
func TestSeed(t *testing.T) {
	data, err := os.ReadFile("testdata/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	got := extract(t, "000_8b6ba32736468a24.txt", data)
	if m := pinyinNote.FindString(got); m != "" {
		t.Errorf("pinyin note %q left", m)
	}
	if again := text.Simplified(got); again != got {
		t.Errorf("traditional characters left: simplifying again changes the text")
	}
	for _, w := range []string{"清水县召开保障中央环保督察工作动员会议", "问题台账", "立行立改", "自查自纠", "协调联络组成员单位", "限时整改"} {
		if !strings.Contains(got, w) {
			t.Errorf("text lacks %s", w)
		}
	}
	for _, w := range []string{"縣", "臺", "(tái)", "環"} {
		if strings.Contains(got, w) {
			t.Errorf("text still has %s", w)
		}
	}
	if n := strings.Count(got, "\n\n"); n != 2 {
		t.Errorf("%d blank lines, want the seed's two paragraph breaks", n)
	}
	if !strings.HasPrefix(got, "12月7日,清水县") {
		t.Errorf("starts %q", got[:40])
	}
	if title := ducha.DocumentTitle(got); title != "12月7日,清水县召开保障中央环保督察工作动员会议,动员全县各级各相关部门认真做好各项准备保障工作,全力以赴迎接中央环保…" {
		t.Errorf("title %q", title)
	}
}

// utf16 encodes s as UTF-16 in the given order, with its byte-order mark.
func utf16(t *testing.T, order unicode.Endianness, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPlainText(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("清水县保障中央环境保护督察工作方案\r\n一、问题台账"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
		ct   string
	}{
		{"方案.txt", []byte("縣生態(tài)環(huán)境局\n立行立改"), "县生态环境局\n立行立改", "text/plain; charset=utf-8"},
		{"bom.TXT", []byte("\xEF\xBB\xBF问题台账"), "问题台账", "text/plain; charset=utf-8"},
		{"gbk.txt", gbk, "清水县保障中央环境保护督察工作方案\n一、问题台账", "text/plain; charset=gb18030"},
		// Notepad's "Unicode": UTF-16 with its byte-order mark, either order.
		{"utf16le.txt", utf16(t, unicode.LittleEndian, "縣生態環境局\r\n问题台账"), "县生态环境局\n问题台账", "text/plain; charset=utf-16"},
		{"utf16be.txt", utf16(t, unicode.BigEndian, "立行立改"), "立行立改", "text/plain; charset=utf-16"},
	} {
		res, err := doctext.Extract(c.name, c.data, doctext.Limits{})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if res.Text != c.want || res.ContentType != c.ct {
			t.Errorf("%s: %q %q, want %q %q", c.name, res.Text, res.ContentType, c.want, c.ct)
		}
	}
}

func TestHTML(t *testing.T) {
	page := `<!doctype html><html><head><title>标题</title><style>p{color:red}</style>
<script>var x = "不要这段";</script></head><body><h1>清水縣召開動員會議</h1>
<p>全縣各級(jí)&amp;各部門</p><div>問題<b>臺賬</b><br>第二行</div><noscript>也不要</noscript></body></html>`
	got := extract(t, "news.html", []byte(page))
	want := "清水县召开动员会议\n全县各级&各部门\n问题台账\n第二行"
	if got != want {
		t.Errorf("html text %q, want %q", got, want)
	}
}

func TestDocx(t *testing.T) {
	body := `<w:p><w:r><w:t>第一段</w:t></w:r><w:r><w:t xml:space="preserve"> 縣生態(tài)環(huán)境局</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t></w:r></w:p>` +
		`<w:p><w:r><w:delText>删掉的</w:delText><w:t>自查自糾</w:t></w:r></w:p>`
	got := extract(t, "纪要.docx", docx(t, body))
	want := "第一段 县生态环境局\n甲 乙\n丙\n自查自纠"
	if got != want {
		t.Errorf("docx text %q, want %q", got, want)
	}
}

// bomb builds a real zip bomb: word/document.xml of size bytes of one
// paragraph of spaces, deflated to a few hundred KB. lie writes a small
// size into the directory, as a crafted bomb would.
func bomb(t *testing.T, size int, lie bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var w interface{ Write([]byte) (int, error) }
	if lie {
		// Deflate it first, then write the raw bytes under a header that
		// declares 1 KB.
		var comp bytes.Buffer
		cw, _ := flate.NewWriter(&comp, flate.BestSpeed)
		writeSpaces(cw, size)
		cw.Close()
		hw, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate,
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: 1024, CRC32: 0})
		if err != nil {
			t.Fatal(err)
		}
		hw.Write(comp.Bytes())
	} else {
		fw, err := zw.Create("word/document.xml")
		if err != nil {
			t.Fatal(err)
		}
		w = fw
		writeSpaces(w, size)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeSpaces(w interface{ Write([]byte) (int, error) }, size int) {
	w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>`))
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for n := 0; n < size; n += len(chunk) {
		w.Write(chunk)
	}
}

// A zip bomb is refused with a clear message, whether its directory tells
// the truth about its size or lies, long before it is unzipped.
func TestDocxBomb(t *testing.T) {
	for _, lie := range []bool{false, true} {
		data := bomb(t, 200<<20, lie)
		if len(data) > 1<<20 {
			t.Fatalf("the bomb is %d bytes: not a bomb", len(data))
		}
		start := time.Now()
		_, err := doctext.Extract("bomb.docx", data, doctext.Limits{MaxUnzippedBytes: 16 << 20})
		msg := ducha.ErrorMessage(err)
		if ducha.ErrorCode(err) != ducha.EINVALID || !strings.Contains(msg, "bomb.docx") || !strings.Contains(msg, "压缩炸弹") ||
			(!lie && !strings.Contains(msg, "16MB")) {
			t.Errorf("lie %v: %v", lie, err)
		}
		t.Logf("lie %v: refused in %v (%d bytes): %s", lie, time.Since(start), len(data), msg)
	}
}

func TestDocxEntries(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range 30 {
		w, _ := zw.Create("media/" + strings.Repeat("a", i+1))
		w.Write([]byte("x"))
	}
	zw.Close()
	_, err := doctext.Extract("many.docx", buf.Bytes(), doctext.Limits{MaxEntries: 20})
	if msg := ducha.ErrorMessage(err); !strings.Contains(msg, "30个条目") || !strings.Contains(msg, "many.docx") {
		t.Errorf("entries: %v", err)
	}
}

func TestRefused(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"报告.pdf", []byte("%PDF-1.4"), "不支持文件“报告.pdf”的格式（.pdf）"},
		{"旧版.doc", []byte{0xD0, 0xCF, 0x11, 0xE0}, "不支持文件“旧版.doc”的格式（.doc）"},
		{"noext", []byte("abc"), "无扩展名"},
		{"假的.docx", []byte("not a zip"), "不是有效的 .docx 文件"},
		{"空.txt", nil, "文件“空.txt”是空的"},
		{"二进制.txt", []byte("ab\x00cd"), "不是文本文件"},
		{"乱码.txt", []byte{0x81, 0xFF, 0x81, 0xFF}, "编码无法识别"}, // neither UTF-8 nor GB18030 (FF FE would start UTF-16)
		{"半个.txt", []byte{0xFF, 0xFE, 0x00, 0xD8}, "编码无法识别"}, // UTF-16 with a lone surrogate
		{"空白.txt", []byte(" \n\t\n"), "没有文字"},
		{"big.txt", bytes.Repeat([]byte("a"), 2<<20), "超过1MB上限"},
		{"long.txt", []byte(strings.Repeat("字", 101)), "文字过长：最多100字"},
	} {
		_, err := doctext.Extract(c.name, c.data, doctext.Limits{MaxFileBytes: 1 << 20, MaxTextChars: 100})
		if ducha.ErrorCode(err) != ducha.EINVALID || !strings.Contains(ducha.ErrorMessage(err), c.want) {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
		if e, ok := err.(*ducha.Error); ok && e.Fields["file"] == "" {
			t.Errorf("%s: no file field: %+v", c.name, e)
		}
	}
	// Without a docx's main part.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("xl/workbook.xml")
	w.Write([]byte("<x/>"))
	zw.Close()
	if _, err := doctext.Extract("表格.docx", buf.Bytes(), doctext.Limits{}); !strings.Contains(ducha.ErrorMessage(err), "缺少 word/document.xml") {
		t.Errorf("no main part: %v", err)
	}
}
